// Placeholder: nginx and the fault server land here (issue 12).
enum TestServersPlaceholder {}
