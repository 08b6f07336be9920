"""Training in the window: the trainer's own process, the GUI-side controller and relay, the panel and
plots' wiring, the loss history kept with the project, and the insight and health views fed by it."""
