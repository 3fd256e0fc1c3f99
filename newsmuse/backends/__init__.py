"""Database backends: Django's, with what newsmuse's pages need on top."""
