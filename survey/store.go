package survey

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects the store runs on.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store keeps digigap's data. On SQLite it holds one write connection (SQLite
// has one writer anyway, and a single connection avoids busy errors) and a
// read pool on the same file; on PostgreSQL both are the same pool.
type Store struct {
	db      *gorm.DB // writes, and reads that must see them
	read    *gorm.DB // reads of committed data
	dialect string
	now     func() time.Time
	loc     *time.Location // the organisation's time zone: days and months
	writer  *Writer        // group commit, when started
	dsnBase string         // SQLite: the file URI with the pragmas every connection shares
	path    string         // SQLite: the database file
	inTx    bool           // a store inside InTransaction: no second connection
	caches  *caches
	timeout time.Duration
	mix     cipher.AEAD // seals answers in the mixing stage (mixkey.go)
	mixer   *mixer      // background flushes, when started
	stage   *stageIDs   // numbers the mixing stage's rows (pending.go)
}

// Options tune how the store is opened.
type Options struct {
	// SynchronousNormal trades the durability of the last transactions on a
	// power cut for write speed (SQLite only); off by default.
	SynchronousNormal bool
	// Now replaces the clock in tests.
	Now func() time.Time
	// Location is the organisation's time zone: it decides a response's
	// day, the days a campaign opens and closes, the retention purge and
	// month boundaries. Nil means UTC; the command line passes --timezone.
	Location *time.Location
	// Timeout bounds each transaction of the group-commit writer and, in
	// api, the database work of each request: a database that stops
	// answering (a network partition) gives 503 after it instead of a
	// hang. DefaultTimeout when zero.
	Timeout time.Duration
	// MixKeyFile is the file holding the key that seals answers while they
	// wait in the mixing stage (see mixkey.go); empty for the default.
	MixKeyFile string
}

// DefaultTimeout is the database deadline when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// IsPostgresDSN reports whether dsn names a PostgreSQL database rather than a SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn (a SQLite file path or a postgres:// URL) and brings
// the schema up to date.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s, err := OpenAt(ctx, dsn, opt, len(migrations))
	return s, err
}

// OpenAt opens dsn and migrates it only up to schema version target; tests
// use it to build an old database and upgrade it.
func OpenAt(ctx context.Context, dsn string, opt Options, target int) (*Store, error) {
	s := &Store{now: opt.Now, loc: opt.Location, caches: &caches{}, timeout: opt.Timeout, stage: newStageIDs()}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	var err error
	if IsPostgresDSN(dsn) {
		err = s.openPostgres(ctx, dsn)
	} else {
		err = s.openSQLite(ctx, dsn, opt)
	}
	if err == nil {
		s.mix, err = loadMixKey(MixKeyFile(dsn, opt.MixKeyFile))
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrate(ctx, target); err != nil {
		s.Close()
		return nil, err
	}
	if target >= len(migrations) {
		if err := s.checkMixKey(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if _, err := s.BackfillIndexCounters(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) gormConfig() *gorm.Config {
	return &gorm.Config{
		TranslateError: true,
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return s.now().UTC() },
	}
}

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	s.dialect = Postgres
	db, err := gorm.Open(postgres.Open(dsn), s.gormConfig())
	if err != nil {
		return fmt.Errorf("cannot connect to PostgreSQL: %w", err)
	}
	s.db, s.read = db, db
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := pingTimeout(ctx, sqlDB); err != nil {
		return fmt.Errorf("cannot connect to PostgreSQL at %s: %w", redactDSN(dsn), err)
	}
	return nil
}

func (s *Store) openSQLite(ctx context.Context, path string, opt Options) error {
	s.dialect = SQLite
	path = strings.TrimPrefix(path, "sqlite://")
	if path == "" {
		return errors.New("no database path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot open database %s: folder %s does not exist", path, dir)
		}
	}
	sync := "FULL"
	if opt.SynchronousNormal {
		sync = "NORMAL"
	}
	// Pragmas live in the DSN so that every pooled connection gets them.
	// secure_delete overwrites deleted rows (the mixing stage's) on disk.
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_busy_timeout=10000&_foreign_keys=on&_secure_delete=on&cache=private"
	s.dsnBase, s.path = base, path
	// The write connection keeps 16 MB of pages (2 MB by default): the
	// invitations a batch consumes are spread over the whole table, and
	// each page missed is a read from the file under the write lock.
	w, err := gorm.Open(sqlite.Open(base+"&_journal_mode=WAL&_txlock=immediate&_cache_size=-16384&_synchronous="+sync), s.gormConfig())
	if err != nil {
		return fmt.Errorf("cannot open database %s: %w", path, err)
	}
	s.db = w
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	if err := pingTimeout(ctx, wdb); err != nil {
		return fmt.Errorf("cannot open database %s: %w", path, err)
	}
	// A write on the one connection proves the file is writable now, not at the first answer.
	if err := w.WithContext(ctx).Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)").Error; err != nil {
		return fmt.Errorf("cannot write database %s: %w", path, err)
	}
	r, err := gorm.Open(sqlite.Open(base+"&_query_only=true"), s.gormConfig())
	if err != nil {
		return fmt.Errorf("cannot open database %s: %w", path, err)
	}
	s.read = r
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(4)
	return nil
}

func pingTimeout(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// redactDSN hides a password in a connection URL before it reaches a log or an error.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable DSN)"
	}
	return u.Redacted()
}

// Dialect is SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Location is the organisation's time zone (Options.Location).
func (s *Store) Location() *time.Location { return s.loc }

// Today is the day of the store's clock in the organisation's time zone:
// the day campaigns, responses and the retention purge go by.
func (s *Store) Today() string { return DayOf(s.now(), s.loc) }

// DayOf is the organisation's day of instant t.
func (s *Store) DayOf(t time.Time) string { return DayOf(t, s.loc) }

// Timeout is the deadline of a request's database work (Options.Timeout).
func (s *Store) Timeout() time.Duration { return s.timeout }

// DB is the write handle, for packages (analytics, benchmarks) that run their own queries.
func (s *Store) DB() *gorm.DB { return s.db }

// ReadDB is the read handle.
func (s *Store) ReadDB() *gorm.DB { return s.read }

// Ping reports whether the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if err := pingTimeout(ctx, sqlDB); err != nil {
		return Errorf(EUNAVAILABLE, "database unreachable")
	}
	return nil
}

// Close commits pending submissions, then releases every connection.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.Close()
	}
	if s.mixer != nil {
		s.mixer.close()
	}
	var errs []error
	for _, db := range []*gorm.DB{s.read, s.db} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
		if s.read == s.db {
			break
		}
	}
	return errors.Join(errs...)
}

// storeError maps driver errors to domain errors; domain errors pass through.
func storeError(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return Errorf(ENOTFOUND, "%s not found", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return Errorf(ECONFLICT, "%s already exists", what)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return Errorf(EINVALID, "%s refers to something that does not exist", what)
	case errors.Is(err, context.Canceled):
		return err
	}
	if u := unavailable(err); u != err {
		return u
	}
	return fmt.Errorf("%s: %w", what, err)
}

// WithClock returns a store on the same connections that reads another
// clock: demo data is written as if answered during past campaigns.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// InTransaction runs fn on a store bound to one transaction on the write
// connection: everything fn writes, through any store method, commits
// together or not at all (nested writes become savepoints). Demo data uses
// it, so that an interrupted or failed run leaves nothing behind. fn must
// use only the store it receives; group commit is off inside. Not for
// EachCounters (hence analytics): it queries the pool around GORM, which on
// SQLite would wait for the transaction's own connection.
func (s *Store) InTransaction(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t := *s
		t.db, t.read, t.writer, t.caches, t.inTx = tx, tx, nil, &caches{}, true
		return fn(&t)
	})
}
