package collect

import (
	"context"
	"database/sql"
	"io/fs"
)

// MigrateWith applies the migrations of fsys (a folder "migrations") to a
// store of this package, as opening it does with the embedded ones.
func MigrateWith(ctx context.Context, s Store, fsys fs.FS) error {
	return s.(*sqlStore).migrate(ctx, fsys)
}

// QueryRow runs query, written with ? placeholders as the store's own are, on
// its writer.
func QueryRow(ctx context.Context, s Store, query string, args ...any) *sql.Row {
	ss := s.(*sqlStore)
	return ss.w.QueryRowContext(ctx, ss.q(query), args...)
}

// Latest is the version of the embedded schema: the last migration's number.
func Latest() int {
	ms, err := loadMigrations(migrationFS, "sqlite")
	if err != nil || len(ms) == 0 {
		panic(err)
	}
	return ms[len(ms)-1].version
}
