package queue

// ParseMigration reads a migration file's number and declared oldest reader
// (schema.go), for the tests of the header's rules.
var ParseMigration = parseMigration
