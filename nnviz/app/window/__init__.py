"""How the window looks and is driven: theme, icons, keyboard, screen fit, presentation mode, help, About,
accessibility and the teaching options of the View menu."""
