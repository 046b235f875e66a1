package api_test

import (
	"fmt"
	"testing"

	"digigap/survey"
)

func TestReferenceValues_HRSetsListsAndRemovesThem(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	var ref survey.ReferenceValue
	resp := do(t, app, "POST", "/api/v1/reference-values", "application/json",
		[]byte(`{"label":"Clients using the web site","source":"client barometer","value":70,"channel":"web_services","id":99}`), &ref)
	if got, want := resp.StatusCode, 201; got != want {
		t.Fatalf("POST = %d, want %d", got, want)
	}
	if ref.ID == 99 || ref.Value != 70 {
		t.Errorf("created %+v: the id comes from the store, the value from the body", ref)
	}
	var bad apiError
	if got, want := do(t, app, "POST", "/api/v1/reference-values", "application/json", []byte(`{"label":"x","value":-1,"channel":"email"}`), &bad).StatusCode, 422; got != want {
		t.Errorf("bad value = %d, want %d", got, want)
	}
	if got, want := bad.Error.Field, "value"; got != want {
		t.Errorf("field = %q, want %q", got, want)
	}
	var list struct {
		ReferenceValues []survey.ReferenceValue `json:"reference_values"`
	}
	do(t, app, "GET", "/api/v1/reference-values", "", nil, &list)
	if got, want := len(list.ReferenceValues), 1; got != want {
		t.Fatalf("listed %d, want %d", got, want)
	}
	if got, want := do(t, app, "DELETE", fmt.Sprintf("/api/v1/reference-values/%d", ref.ID), "", nil, nil).StatusCode, 204; got != want {
		t.Errorf("DELETE = %d, want %d", got, want)
	}
}
