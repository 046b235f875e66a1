package survey

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// unavailable turns a failure of the database itself (gone, full,
// read-only, shutting down) into EUNAVAILABLE, which clients see as 503 with
// a clear message and may retry; any other error passes through unchanged.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var de *Error
	if errors.As(err, &de) {
		return err
	}
	if msg, ok := unavailableReason(err); ok {
		return &Error{Code: EUNAVAILABLE, Message: msg}
	}
	return err
}

// Unavailable maps a failure of the database itself to EUNAVAILABLE, as the
// store does: api applies it to any error reaching its error handler, so
// that no route answers 500 for a database that is gone, refusing
// connections or slower than the deadline.
func Unavailable(err error) error { return unavailable(err) }

func unavailableReason(err error) (string, bool) {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the database did not answer in time: nothing was saved, please try again in a moment", true
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrFull:
			return "the database is full: nothing was saved, please try again later", true
		case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrPerm:
			return "the database cannot be written right now: nothing was saved, please try again later", true
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return "the database is busy: nothing was saved, please try again in a moment", true
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		// 08 connection exceptions, 53 insufficient resources, 55000 the
		// database refusing connections, 57P0x shutdown, 25006 read-only.
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"), strings.HasPrefix(pe.Code, "53"),
			pe.Code == "55000", pe.Code == "25006":
			return "the database is unavailable: nothing was saved, please try again in a moment", true
		}
		return "", false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) || pgconn.Timeout(err) ||
		strings.Contains(err.Error(), "database is closed") || strings.Contains(err.Error(), "conn closed") ||
		strings.Contains(err.Error(), "failed to connect") {
		return "the database is unavailable: nothing was saved, please try again in a moment", true
	}
	return "", false
}
