// Placeholder: the urls file, discovery and backfill land here (issue 12).
enum SubscriptionsPlaceholder {}
