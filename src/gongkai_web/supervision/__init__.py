"""The supervisor's view: a subtree's reports for a year, their sums and their trend over years."""
