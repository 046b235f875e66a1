package loadtest

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"net"
	"slices"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"digigap/survey"
)

// floorRow is what the bare server writes: the same responses row as the
// real path, straight into responses, with no validation, token check,
// counters or mixing stage (the real server writes a sealed, padded row
// per answer and moves it to responses later in a flush). The ratio to
// this floor therefore includes the whole cost of unlinkable storage.
type floorRow struct {
	resp survey.Response
	done chan error
}

// ServeFloor runs the bare server on ln until ctx ends: decode the JSON,
// encode the answers into the same codes, and insert the row through a
// group-commit writer. It is the floor the real server is compared with.
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
	rows := make(chan floorRow, 1024)
	go floorWriter(st.DB(), rows)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	day := st.Today()
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/api/v1/responses", func(c *fiber.Ctx) error {
		var in struct {
			CampaignID int64          `json:"campaign_id"`
			Answers    map[string]any `json:"answers"`
		}
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return c.SendStatus(400)
		}
		r := floorRow{resp: survey.Response{ID: survey.NewResponseID(), CampaignID: in.CampaignID, TeamID: 2, Day: day, Codes: rawCodes(q.Def, in.Answers)}, done: make(chan error, 1)}
		r.resp.Comment, _ = in.Answers["comment"].(string)
		rows <- r
		if err := <-r.done; err != nil {
			return c.SendStatus(503)
		}
		return c.SendStatus(201)
	})
	go func() { <-ctx.Done(); _ = app.Shutdown() }()
	return app.Listener(ln)
}

func floorWriter(db *gorm.DB, rows chan floorRow) {
	batch := make([]floorRow, 0, 256)
	for first := range rows {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < cap(batch) {
			select {
			case r := <-rows:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, r := range batch {
				if err := tx.Exec("INSERT INTO responses (id, campaign_id, team_id, day, codes, comment) VALUES (?, ?, ?, ?, ?, ?)",
					r.resp.ID, r.resp.CampaignID, r.resp.TeamID, r.resp.Day, r.resp.Codes, r.resp.Comment).Error; err != nil {
					return err
				}
			}
			return nil
		})
		for _, r := range batch {
			r.done <- err
		}
	}
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
