"""One module per `course` verb. Each has `add_parser(subparsers)`, which registers the verb
and its options, and `run(course, args)`, which does the work and returns the exit status."""
