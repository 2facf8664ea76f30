// Placeholder: the HTTP engine lands here (issue 12).
enum FetchingPlaceholder {}
