package api_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// update refreshes the committed pictures in testdata/screenshots; without
// it, every picture goes to the ignored testdata/artifacts/screenshots, so
// that a test run never rewrites a tracked file.
var update = flag.Bool("update", false, "rewrite the committed screenshots in testdata/screenshots")

// Deadlines of browser tests are generous on purpose: the steps inside wait
// on conditions, and a loaded 2-core machine may take several times longer
// than a quiet one. A deadline only stops a test that is truly stuck.
const (
	browserTestDeadline = 5 * time.Minute
	chartPollTimeout    = 90 * time.Second
)

// savePicture writes one screenshot, committed only behind -update.
func savePicture(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := filepath.Join("testdata", "artifacts", "screenshots")
	if *update {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
