"""The project as files: File-menu actions (new, open recent, revert, import, export), autosave for
recovery, recent files, the view section, and headless render and replay."""
