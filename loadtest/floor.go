package loadtest

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"net"
	"slices"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// The floor is a bare server doing the plain durable work of a submission,
// nothing more and nothing less: decode the same JSON, check and consume the
// invitation, write the same responses row and add it to the same counters,
// all through one group-commit writer (one transaction per batch, a
// multi-row INSERT, one read and one update per counters row touched).
//
// Per batch that is, on SQLite and PostgreSQL alike: BEGIN, one UPDATE of
// the invitations (RETURNING their teams), one INSERT of the responses rows
// (a hundred a statement), one SELECT of the counters rows touched (FOR
// UPDATE on PostgreSQL), one multi-row upsert of them, COMMIT. The HTTP
// handler decodes the body into a map with encoding/json, hashes the token
// with SHA-256 and packs the codes, nothing else: no validation, no
// middleware.
//
// It does not seal, stage or mix: that is the price of unlinkable storage
// (see the README, "Storage and anonymity"), and the ratio to this floor is
// meant to show it, together with validation, middleware and error
// handling. A floor that sealed would hide the very cost the load test
// watches; a floor without token or counters would not be a durable answer.
// digigap writes each answer twice: sealed into the mixing stage at the
// submission's commit, then into responses and counters by a flush (in the
// writer's next transactions on SQLite, in transactions of its own beside
// the writer's on PostgreSQL).

// floorJob is one submission waiting for the floor's writer.
type floorJob struct {
	tokenHash string
	resp      survey.Response
	done      chan int // HTTP status
}

// ServeFloor runs the bare server on ln until ctx ends, on the database
// dsn (SQLite or PostgreSQL) that Prepare filled.
func ServeFloor(ctx context.Context, dsn string, ln net.Listener) error {
	st, err := survey.Open(ctx, dsn, storeOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		return err
	}
	w := &floorWriter{db: st.DB(), layout: survey.LayoutOf(q.Def), jobs: make(chan *floorJob, 1024)}
	go w.loop()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	day := st.Today()
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/api/v1/responses", func(c *fiber.Ctx) error {
		var in struct {
			CampaignID int64          `json:"campaign_id"`
			Token      string         `json:"token"`
			Answers    map[string]any `json:"answers"`
		}
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return c.SendStatus(400)
		}
		j := &floorJob{tokenHash: survey.HashToken(in.Token), done: make(chan int, 1),
			resp: survey.Response{ID: survey.NewResponseID(), CampaignID: in.CampaignID, Day: day, Codes: rawCodes(q.Def, in.Answers)}}
		j.resp.Comment, _ = in.Answers["comment"].(string)
		w.jobs <- j
		return c.SendStatus(<-j.done)
	})
	go func() { <-ctx.Done(); _ = app.Shutdown() }()
	return app.Listener(ln)
}

// rawCodes packs answers as EncodeAnswers does, trusting every value.
func rawCodes(def *survey.Definition, a map[string]any) []byte {
	codes := make([]byte, 0, 32)
	for _, it := range def.Items() {
		switch it.Kind {
		case survey.KindSingle:
			v, ok := a[it.ID].(float64)
			if !ok {
				codes = append(codes, 0)
				continue
			}
			codes = append(codes, byte(v)+1)
		case survey.KindMulti:
			var mask uint32
			list, _ := a[it.ID].([]any)
			opts := def.ItemOptions(it)
			for _, v := range list {
				f, _ := v.(float64)
				if i := slices.IndexFunc(opts, func(o survey.Option) bool { return o.Value == int(f) }); i >= 0 {
					mask |= 1 << i
				}
			}
			codes = binary.LittleEndian.AppendUint32(codes, mask)
		}
	}
	return codes
}
