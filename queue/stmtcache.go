package queue

import (
	"context"
	"database/sql"
	"sync"
)

// The writer runs the same few dozen SQL statements for every command. database/sql
// prepares a statement afresh for each call inside a transaction, and SQLite's parser
// was a quarter of the writer's CPU per ticket (docs/PERFORMANCE.md, "Live pages"). So
// the writer's transactions go through writerTx: a statement it has seen is prepared
// once on the writer's one connection and reused by every later transaction.

// maxCachedStatements bounds the cache: statements are constant strings, except those
// built with one placeholder per service of a counter, a few dozen variants at most.
const maxCachedStatements = 512

// stmtCache holds statements prepared on the writer's connection. A statement first
// seen inside a transaction runs unprepared and is prepared after the commit, when the
// connection is free (the writer pool holds one connection, which the transaction
// holds until then).
type stmtCache struct {
	mu     sync.Mutex
	db     *sql.DB
	stmts  map[string]*sql.Stmt
	missed []string
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get is the prepared statement of query, or nil (noting the miss).
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s
	}
	if len(c.stmts)+len(c.missed) < maxCachedStatements {
		c.missed = append(c.missed, query)
		c.stmts[query] = nil // noted: not again until prepared
	}
	return nil
}

// prepareMissed prepares the statements missed since the last call. It runs between
// transactions; a statement that fails to prepare is forgotten and runs unprepared.
func (c *stmtCache) prepareMissed(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, q := range c.missed {
		s, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			delete(c.stmts, q)
			continue
		}
		c.stmts[q] = s
	}
	c.missed = c.missed[:0]
}

// close closes every prepared statement (before the database is closed).
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		if s != nil {
			s.Close()
		}
		delete(c.stmts, q)
	}
}

// writerTx is a transaction of the writer whose statements come from its cache. Its
// *sql.Tx is there for what takes one (savepoints, the day's anchor).
type writerTx struct {
	*sql.Tx
	stmts *stmtCache
}

// ExecContext runs query with args, prepared once when the cache has it.
func (w writerTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := w.stmts.get(query); s != nil {
		return w.Tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return w.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query with args, prepared once when the cache has it.
func (w writerTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := w.stmts.get(query); s != nil {
		return w.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return w.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query with args, prepared once when the cache has it.
func (w writerTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := w.stmts.get(query); s != nil {
		return w.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return w.Tx.QueryRowContext(ctx, query, args...)
}
