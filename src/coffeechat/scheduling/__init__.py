"""Times that suit both people, and calendar files in and out."""
