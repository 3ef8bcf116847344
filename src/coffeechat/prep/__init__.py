"""The prep sheet and the call's plan: who they are, which questions, when to ask."""
