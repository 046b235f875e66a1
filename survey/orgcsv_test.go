package survey

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseOrgCSV_ReadsTreeWithSemicolonsAndBOM(t *testing.T) {
	in := "\xef\xbb\xbfcode;parent_code;name;headcount\nB;;Banque;2\nS1;B;Secteur Nord;0\nA1;S1;Agence Lille;12\n"
	rows, err := ParseOrgCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 3; got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	if got, want := rows[2], (TeamRow{Line: 4, Code: "A1", ParentCode: "S1", Name: "Agence Lille", Headcount: 12}); !reflect.DeepEqual(got, want) {
		t.Fatalf("row = %+v, want %+v", got, want)
	}
}

func TestParseOrgCSV_BadRowsNameLineAndReason(t *testing.T) {
	header := "code,parent_code,name,headcount\n"
	tests := []struct {
		name, csv, field, msg string
	}{
		{"wrong header", "id,parent,name,hc\nA,,x,1\n", "line 1", "header"},
		{"missing parent", header + "A,,Bank,1\nB,Z,Branch,2\n", "line 3", `parent "Z"`},
		{"duplicate code", header + "A,,Bank,1\nA,,Other,2\n", "line 3", "duplicate code"},
		{"cycle", header + "A,B,One,1\nB,A,Two,2\n", "line 2", "cycle"},
		{"non-numeric headcount", header + "A,,Bank,twelve\n", "line 2", "headcount"},
		{"negative headcount", header + "A,,Bank,-1\n", "line 2", "headcount"},
		{"empty name", header + "A,,,3\n", "line 2", "name"},
		{"bad code", header + "A B,,Bank,3\n", "line 2", "code"},
		{"too few fields", header + "A,,Bank\n", "line 2", "fields"},
		{"no team", header, "file", "no team"},
		{"not utf-8", header + "A,,Banque \xe9,3\n", "file", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOrgCSV(strings.NewReader(tt.csv))
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %v, want a *Error", err)
			}
			if got, want := e.Code, EINVALID; got != want {
				t.Errorf("code = %q, want %q", got, want)
			}
			if got, want := e.Field, tt.field; got != want {
				t.Errorf("field = %q, want %q", got, want)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not mention %q", e.Message, tt.msg)
			}
		})
	}
}

func TestParseOrgCSV_ListsEveryBadLine(t *testing.T) {
	in := "code,parent_code,name,headcount\nA,,Bank,x\nB,,Bank,y\n"
	_, err := ParseOrgCSV(strings.NewReader(in))
	if got, want := len(err.(*Error).Details), 2; got != want {
		t.Fatalf("details = %d, want %d", got, want)
	}
}

func FuzzParseOrgCSV(f *testing.F) {
	f.Add("code,parent_code,name,headcount\nA,,Bank,1\nB,A,Branch,2\n")
	f.Add("code;parent_code;name;headcount\nA;;Bank;1\n")
	f.Add("code,parent_code,name,headcount\nA,B,x,1\nB,A,y,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseOrgCSV(strings.NewReader(in))
		if err == nil && len(rows) == 0 {
			t.Fatal("no error and no rows")
		}
		if err != nil && ErrorCode(err) == EINTERNAL {
			t.Fatalf("internal error: %v", err)
		}
	})
}

func TestParseOrgCSV_ManagerEmailColumnIsOptional(t *testing.T) {
	in := "code,parent_code,name,headcount,manager_email\nB,,Bank,0,\nN,B,Nord,5,Anne@Bank.example | bob@bank.example\n"
	rows, err := ParseOrgCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !ManagersListed(rows) || len(rows[0].Managers) != 0 || !reflect.DeepEqual(rows[1].Managers, []string{"anne@bank.example", "bob@bank.example"}) {
		t.Errorf("rows = %+v, want the column read, lowercased, split on |", rows)
	}
	rows, _ = ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount\nB,,Bank,0\n"))
	if ManagersListed(rows) {
		t.Error("a file without the column lists managers")
	}
	_, err = ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount,manager_email\nB,,Bank,0,not an address\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad address: %v, want an error naming line 2", err)
	}
}
