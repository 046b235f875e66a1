package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A migration moves the schema one version up. Statements are written once
// for both databases; {{id}}, {{time}}, {{blob}} and {{bool}} are replaced
// by each dialect's type, so an old database upgrades in place with its data.
type migration struct {
	name       string
	statements []string
}

// migrations are applied in order; version N is migrations[N-1]. Never edit
// a released migration: append a new one.
var migrations = []migration{
	{"org tree and questionnaires", []string{
		`CREATE TABLE teams (
			id {{id}},
			code TEXT NOT NULL UNIQUE,
			parent_id BIGINT REFERENCES teams(id),
			name TEXT NOT NULL,
			headcount INTEGER NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL)`,
		`CREATE INDEX teams_parent ON teams(parent_id)`,
		`CREATE TABLE questionnaires (
			id {{id}},
			key TEXT NOT NULL,
			version INTEGER NOT NULL,
			definition TEXT NOT NULL,
			is_current {{bool}} NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL,
			UNIQUE (key, version))`,
	}},
	{"campaigns, invitations and responses", []string{
		`CREATE TABLE campaigns (
			id {{id}},
			name TEXT NOT NULL,
			questionnaire_id BIGINT NOT NULL REFERENCES questionnaires(id),
			opens_on TEXT NOT NULL,
			closes_on TEXT NOT NULL,
			state TEXT NOT NULL,
			access_mode TEXT NOT NULL,
			min_group INTEGER NOT NULL,
			live_results {{bool}} NOT NULL DEFAULT FALSE,
			retention_days INTEGER NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL)`,
		`CREATE TABLE campaign_teams (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			PRIMARY KEY (campaign_id, team_id))`,
		`CREATE INDEX campaign_teams_team ON campaign_teams(team_id)`,
		// An invitation is known only by the hash of its token; used records
		// that it was used, never when.
		`CREATE TABLE invitations (
			token_hash TEXT PRIMARY KEY,
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			used {{bool}} NOT NULL DEFAULT FALSE,
			revoked {{bool}} NOT NULL DEFAULT FALSE)`,
		`CREATE INDEX invitations_campaign_team ON invitations(campaign_id, team_id)`,
		// A response carries no person, address, agent, token or time: its
		// id is random and its date is the day at most.
		`CREATE TABLE responses (
			id TEXT PRIMARY KEY,
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			day TEXT NOT NULL,
			codes {{blob}} NOT NULL,
			comment TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX responses_campaign_team ON responses(campaign_id, team_id)`,
	}},
	{"team links", []string{
		// One open link per campaign and team: a random key, not the team
		// id, so that a link cannot be guessed from another one.
		`CREATE TABLE team_links (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			link_key TEXT NOT NULL UNIQUE,
			PRIMARY KEY (campaign_id, team_id))`,
	}},
	{"accounts, sessions, API tokens, login throttling and audit log", []string{
		// Staff accounts (HR and managers): never linked to a response.
		`CREATE TABLE users (
			id {{id}},
			email TEXT NOT NULL UNIQUE,
			role TEXT NOT NULL,
			password_hash TEXT NOT NULL,
			disabled {{bool}} NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL)`,
		// A manager's teams: the roots of the subtrees they see.
		`CREATE TABLE user_teams (
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
			PRIMARY KEY (user_id, team_id))`,
		// Server-side sessions, known by the hash of their id; user_id is
		// NULL before login (the session then only holds a CSRF token).
		// Times are Unix seconds so that both databases compare them alike.
		`CREATE TABLE sessions (
			id_hash TEXT PRIMARY KEY,
			user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
			data {{blob}},
			created_unix BIGINT NOT NULL,
			seen_unix BIGINT NOT NULL)`,
		`CREATE INDEX sessions_user ON sessions(user_id)`,
		`CREATE TABLE api_tokens (
			id {{id}},
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE,
			created_at {{time}} NOT NULL,
			expires_unix BIGINT NOT NULL,
			revoked {{bool}} NOT NULL DEFAULT FALSE)`,
		// One row per failed login, keyed by a hash of (account, client address).
		`CREATE TABLE login_failures (
			pair_hash TEXT NOT NULL,
			at_unix BIGINT NOT NULL)`,
		`CREATE INDEX login_failures_pair ON login_failures(pair_hash, at_unix)`,
		// What HR did: who, what, when, on what object; never respondent data.
		`CREATE TABLE audit_log (
			id {{id}},
			at {{time}} NOT NULL,
			actor_id BIGINT,
			actor TEXT NOT NULL,
			action TEXT NOT NULL,
			object TEXT NOT NULL,
			detail TEXT NOT NULL DEFAULT '')`,
	}},
	// Aggregate counters, one row per campaign, band and team, written in
	// the transaction of each response (survey/counters.go): counts is the
	// vector of figures, shown the snapshot live results read. The key
	// starts with the band so that a campaign's heatmap is one range scan.
	{"aggregate counters", []string{
		`CREATE TABLE counters (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			band TEXT NOT NULL,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			counts {{blob}} NOT NULL,
			shown {{blob}},
			PRIMARY KEY (campaign_id, band, team_id)){{norowid}}`,
		`CREATE INDEX counters_team ON counters(team_id)`,
	}},
	// Migration 6: reference values HR sets (clients' use of a channel, a
	// national figure, a target) and the dashboards draw as reference lines.
	// channel is a channel id or 'all_channels'; value is in percent.
	{"reference values", []string{
		`CREATE TABLE reference_values (
			id {{id}},
			label TEXT NOT NULL,
			source TEXT NOT NULL DEFAULT '',
			value DOUBLE PRECISION NOT NULL,
			channel TEXT NOT NULL,
			created_at {{time}} NOT NULL)`,
	}},
	// Migration 7: client contact coverage (aggregate client counts per
	// team and month, never a client) and the actions teams record, each
	// with the channels it targets (a JSON list of channel ids).
	{"client coverage and actions", []string{
		`CREATE TABLE coverage (
			period TEXT NOT NULL,
			team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
			clients BIGINT NOT NULL,
			with_mobile BIGINT NOT NULL,
			with_email BIGINT NOT NULL,
			sms_consent BIGINT NOT NULL,
			email_consent BIGINT NOT NULL,
			PRIMARY KEY (period, team_id))`,
		`CREATE INDEX coverage_team ON coverage(team_id)`,
		`CREATE TABLE actions (
			id {{id}},
			team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
			title TEXT NOT NULL,
			channels TEXT NOT NULL,
			starts_on TEXT NOT NULL,
			owner_role TEXT NOT NULL,
			status TEXT NOT NULL,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL)`,
		`CREATE INDEX actions_team ON actions(team_id)`,
	}},
	// Team-link answer counts: how many answers each team's open link
	// took in a campaign, so that a link stops at the team's headcount (a
	// count only: no order, time or link to any response). Existing
	// campaigns start from their answers not made through an invitation.
	{"team-link answer counts", []string{
		`CREATE TABLE team_link_answers (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL,
			answers INTEGER NOT NULL,
			PRIMARY KEY (campaign_id, team_id))`,
		`INSERT INTO team_link_answers (campaign_id, team_id, answers)
			SELECT r.campaign_id, r.team_id, COUNT(*) - (SELECT COUNT(*) FROM invitations i
				WHERE i.campaign_id = r.campaign_id AND i.team_id = r.team_id AND i.used)
			FROM responses r JOIN campaigns c ON c.id = r.campaign_id
			WHERE c.access_mode <> 'invitation'
			GROUP BY r.campaign_id, r.team_id
			HAVING COUNT(*) > (SELECT COUNT(*) FROM invitations i
				WHERE i.campaign_id = r.campaign_id AND i.team_id = r.team_id AND i.used)`,
	}},
	// Sign-in with the company's identity provider and a second factor:
	// sso marks an account that signs in through OIDC only (its password
	// is gone); from_org an account the org file's manager_email column
	// manages; totp_* the TOTP secret of a local account, enabled once
	// confirmed, and the last time step used (a code works once);
	// recovery codes are kept as hashes, each usable once.
	{"single sign-on, managers from the org file and TOTP second factor", []string{
		`ALTER TABLE users ADD COLUMN sso {{bool}} NOT NULL DEFAULT FALSE`,
		`ALTER TABLE users ADD COLUMN from_org {{bool}} NOT NULL DEFAULT FALSE`,
		`ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE users ADD COLUMN totp_enabled {{bool}} NOT NULL DEFAULT FALSE`,
		`ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0`,
		`CREATE TABLE recovery_codes (
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			code_hash TEXT NOT NULL,
			PRIMARY KEY (user_id, code_hash))`,
	}},
	// The mixing stage (survey/mixer.go): a submission stores its answer
	// here, sealed with a key kept outside the database, next to nothing
	// but its campaign and a random id; a flush moves answers to responses
	// in shuffled batches. responses is rebuilt keyed by its random id
	// alone (no rowid on SQLite), old rows copied in random order, and the
	// used invitations rewritten, so that neither rowid, xmin nor ctid
	// keeps the order or the transaction in which old answers arrived.
	{"mixing stage, responses without insertion order", []string{
		`CREATE TABLE pending_responses (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			id TEXT NOT NULL,
			sealed {{blob}} NOT NULL,
			PRIMARY KEY (campaign_id, id)){{norowid}}`,
		`CREATE TABLE responses_unordered (
			id TEXT PRIMARY KEY,
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			day TEXT NOT NULL,
			codes {{blob}} NOT NULL,
			comment TEXT NOT NULL DEFAULT ''){{norowid}}`,
		`INSERT INTO responses_unordered (id, campaign_id, team_id, day, codes, comment)
			SELECT id, campaign_id, team_id, day, codes, comment FROM responses ORDER BY RANDOM()`,
		`DROP TABLE responses`,
		`ALTER TABLE responses_unordered RENAME TO responses`,
		`CREATE INDEX responses_campaign_team ON responses(campaign_id, team_id)`,
		`UPDATE invitations SET used = TRUE WHERE used`,
	}},
	// Migration 8: one disclosure decision per campaign (analytics/disclose.go).
	// campaign_trees keeps the org tree a campaign opened on, so later
	// imports never change its figures; campaigns already opened are frozen
	// on today's tree. disclosure_decisions stores which figures may be shown,
	// once per campaign state (basis), so every route reads the same answer.
	// responses.snapshot_epoch is, for a live-results wave, the number of
	// answers all snapshots held when this answer's team snapshot took it in
	// (0: in none yet): answers are ordered by batches of k at the finest.
	{"frozen campaign trees and disclosure decisions", []string{
		`CREATE TABLE campaign_trees (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL,
			code TEXT NOT NULL,
			parent_id BIGINT,
			name TEXT NOT NULL,
			headcount INTEGER NOT NULL,
			PRIMARY KEY (campaign_id, team_id))`,
		`INSERT INTO campaign_trees (campaign_id, team_id, code, parent_id, name, headcount)
			SELECT c.id, t.id, t.code, t.parent_id, t.name, t.headcount
			FROM campaigns c CROSS JOIN teams t WHERE c.state <> 'draft'`,
		`CREATE TABLE disclosure_decisions (
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			basis TEXT NOT NULL,
			shown {{blob}} NOT NULL,
			PRIMARY KEY (campaign_id, basis))`,
		`ALTER TABLE responses ADD COLUMN snapshot_epoch BIGINT NOT NULL DEFAULT 0`,
	}},
	{"e-mailed invitations and reminders", []string{
		`ALTER TABLE invitations ADD COLUMN mailed {{bool}} NOT NULL DEFAULT FALSE`,
		`ALTER TABLE invitations ADD COLUMN replaced_on TEXT`,
		`CREATE TABLE mail_settings (
			campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
			subject TEXT NOT NULL,
			body_text TEXT NOT NULL,
			body_html TEXT NOT NULL,
			max_reminders INTEGER NOT NULL DEFAULT 2,
			reminder_days INTEGER NOT NULL DEFAULT 7,
			reminders_sent INTEGER NOT NULL DEFAULT 0,
			last_reminder_on TEXT)`,
		`CREATE TABLE mail_recipients (
			id {{id}},
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			team_id BIGINT NOT NULL REFERENCES teams(id),
			email TEXT NOT NULL,
			token_hash TEXT,
			failed {{bool}} NOT NULL DEFAULT FALSE,
			UNIQUE (campaign_id, email))`,
		`CREATE INDEX mail_recipients_token ON mail_recipients(token_hash)`,
		`CREATE TABLE mail_outbox (
			id {{id}},
			campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
			recipient_id BIGINT NOT NULL REFERENCES mail_recipients(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			state TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			due_at {{time}} NOT NULL,
			lease_until {{time}},
			owner TEXT,
			error TEXT)`,
		`CREATE INDEX mail_outbox_due ON mail_outbox(state, due_at)`,
		`CREATE INDEX mail_outbox_recipient ON mail_outbox(recipient_id)`,
	}},
	// must_change_password marks a password someone else typed (HR, the
	// command line): its owner replaces it at first sign-in.
	// password_links are one-time set-password links HR hands over instead
	// of a password: only a hash of the token is kept, a use deletes it.
	{"self-service passwords: forced change and set-password links", []string{
		`ALTER TABLE users ADD COLUMN must_change_password {{bool}} NOT NULL DEFAULT FALSE`,
		`CREATE TABLE password_links (
			token_hash TEXT PRIMARY KEY,
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			created_unix BIGINT NOT NULL,
			expires_unix BIGINT NOT NULL)`,
	}},
	// A message is prepared before the relay is reached: its invitation
	// exists (token_hash), the one a reminder replaces is remembered
	// (replaces_hash), and the token stays sealed with the mixing key
	// (token_box) only until the relay accepted the message, so a sender
	// killed at any instant resends the same message, Message-ID and date
	// included, instead of losing it or sending a second link.
	{"mail outbox: prepared messages survive a crash", []string{
		`ALTER TABLE mail_outbox ADD COLUMN token_hash TEXT`,
		`ALTER TABLE mail_outbox ADD COLUMN replaces_hash TEXT`,
		`ALTER TABLE mail_outbox ADD COLUMN token_box {{blob}}`,
		`ALTER TABLE mail_outbox ADD COLUMN message_id TEXT`,
		`ALTER TABLE mail_outbox ADD COLUMN prepared_at {{time}}`,
	}},
	// Per-respondent index counters (counter_index.go) are appended to
	// every vector; the campaigns listed here have vectors written before
	// them, which BackfillIndexCounters recounts from the raw responses
	// when the store opens, then strikes off.
	{"index counters to backfill", []string{
		`CREATE TABLE index_backfill (campaign_id BIGINT PRIMARY KEY)`,
		`INSERT INTO index_backfill (campaign_id) SELECT DISTINCT campaign_id FROM counters`,
	}},
	// archived_at marks a team HR archived once every campaign it took
	// part in closed: kept for the history (frozen trees, responses,
	// figures), gone from today's tree, imports, pickers and new campaigns.
	{"archived teams", []string{
		`ALTER TABLE teams ADD COLUMN archived_at {{time}}`,
	}},
	// A sealed answer (about 4.4 KB of ciphertext) stays in its row on
	// PostgreSQL: by default it went to the TOAST table, after a vain try
	// to compress it, as three chunks and their index entries, each written
	// at a submission and deleted at the flush. SQLite has no such storage.
	{"mixing stage rows kept whole on PostgreSQL", []string{
		pgOnly + `ALTER TABLE pending_responses ALTER COLUMN sealed SET STORAGE PLAIN`,
	}},
	// Disclosure of unanimous cells (issue 15, point 9), a setting per
	// campaign frozen at opening like k: 'threshold' shows a 0 % or 100 %
	// share only from 2k respondents, 'disclose' always shows it (the
	// respondent intro says so). Campaigns that exist already keep
	// 'disclose', what they showed before: their unanimous figures were
	// released already, and withholding them now would only make two
	// reports of one wave disagree.
	{"unanimous cells policy", []string{
		`ALTER TABLE campaigns ADD COLUMN unanimous TEXT NOT NULL DEFAULT 'disclose'`,
	}},
	// An audit entry's detail as a catalogue sentence and its arguments
	// (JSON), so the console words it in its reader's language (issue 16).
	// Entries written before keep their English detail and an empty key.
	{"audit details in the reader's language", []string{
		`ALTER TABLE audit_log ADD COLUMN detail_key TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE audit_log ADD COLUMN detail_args TEXT NOT NULL DEFAULT ''`,
	}},
}

// pgOnly starts a migration statement that only PostgreSQL runs.
const pgOnly = "-- postgres only\n"

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) dialectSQL(stmt string) string {
	types := map[string][2]string{ // sqlite, postgres
		"{{id}}":   {"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"},
		"{{time}}": {"TIMESTAMP", "TIMESTAMPTZ"},
		"{{blob}}": {"BLOB", "BYTEA"},
		"{{bool}}": {"BOOLEAN", "BOOLEAN"},
		// SQLite keeps a table keyed by its primary key without a second copy.
		"{{norowid}}": {" WITHOUT ROWID", ""},
	}
	i := 0
	if s.dialect == Postgres {
		i = 1
	}
	for k, v := range types {
		stmt = strings.ReplaceAll(stmt, k, v[i])
	}
	return stmt
}

// migrate applies the pending migrations up to target, each in its own
// transaction, and refuses a database written by a newer binary.
func (s *Store) migrate(ctx context.Context, target int) error {
	db := s.db.WithContext(ctx)
	if err := db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)").Error; err != nil {
		return fmt.Errorf("cannot prepare schema: %w", err)
	}
	current, err := s.schemaVersion(db)
	if err != nil {
		return err
	}
	if current > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this digigap binary (version %d): upgrade digigap", current, len(migrations))
	}
	for v := current + 1; v <= target && v <= len(migrations); v++ {
		if err := s.applyMigration(db, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(db *gorm.DB, v int) error {
	m := migrations[v-1]
	err := db.Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			// Two instances starting together must not both migrate.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(774201)").Error; err != nil {
				return err
			}
			done, err := s.schemaVersion(tx)
			if err != nil || done >= v {
				return err
			}
		}
		for _, stmt := range m.statements {
			if strings.HasPrefix(stmt, pgOnly) && s.dialect != Postgres {
				continue
			}
			if err := tx.Exec(s.dialectSQL(stmt)).Error; err != nil {
				return err
			}
		}
		return tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", v, s.now().UTC().Format(time.RFC3339)).Error
	})
	if err != nil {
		return fmt.Errorf("migration %d (%s) failed: %w", v, m.name, err)
	}
	return nil
}

func (s *Store) schemaVersion(db *gorm.DB) (int, error) {
	var v *int
	if err := db.Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("cannot read schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// Version returns the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	return s.schemaVersion(s.db.WithContext(ctx))
}
