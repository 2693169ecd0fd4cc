"""The render's parts, in the order report.build runs them: the mode (modes), the options as each format sees
them (context), parse and execute (sources, execute), the document transforms (transforms), the writers of the
format registry (writing, writers/), the figure export and publishing (publish), and the renders of a website
and a default project, page by page (projects)."""
