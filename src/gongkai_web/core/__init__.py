"""What every app shares: the base templates and navigation, start-up checks, the demo command."""
