package survey

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestEncodeAnswers_RoundTripsRandomAnswers(t *testing.T) {
	d := DefaultDefinition()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		a := randomAnswers(r, d)
		want, err := d.NormalizeAnswers(a)
		if err != nil {
			t.Fatalf("case %d: NormalizeAnswers: %v", i, err)
		}
		codes, comment, err := d.EncodeAnswers(a)
		if err != nil {
			t.Fatalf("case %d: EncodeAnswers: %v", i, err)
		}
		got, err := d.DecodeAnswers(codes, comment)
		if err != nil {
			t.Fatalf("case %d: DecodeAnswers: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: decoded %#v, want %#v", i, got, want)
		}
	}
}

func TestEncodeAnswers_FullResponseFitsIn31Bytes(t *testing.T) {
	d := DefaultDefinition()
	codes, comment, err := d.EncodeAnswers(fullAnswers(d))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(codes), 31; got != want {
		t.Errorf("codes = %d bytes, want %d", got, want)
	}
	t.Logf("full response: %d bytes of codes, comment of %d runes (%d bytes) kept apart",
		len(codes), len([]rune(comment)), len(comment))
}

func TestEncodeAnswers_Layout(t *testing.T) {
	d := DefaultDefinition()
	codes, comment, err := d.EncodeAnswers(Answers{
		"email.private": 3, "email.work": 5, "barriers": []int{0, 8}, "culture.free_tone": 1, "comment": " Merci ",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 31)
	want[0], want[1] = 4, 6         // email.private, email.work: value + 1
	want[20], want[21] = 0x01, 0x01 // barriers: bits 0 and 8, little-endian
	want[24] = 2                    // culture.free_tone, after the 4 mask bytes
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("codes = %v, want %v", codes, want)
	}
	if got, want := comment, "Merci"; got != want {
		t.Errorf("comment = %q, want %q", got, want)
	}
}

func TestEncodeAnswers_RefusesInvalidAnswers(t *testing.T) {
	_, _, err := DefaultDefinition().EncodeAnswers(Answers{"email.private": 7})
	wantFieldError(t, err, EINVALID, "email.private", "7 is not one of its answers")
}

func TestDecodeAnswers_RefusesCorruptData(t *testing.T) {
	valid := make([]byte, 31)
	withByte := func(i int, b byte) []byte {
		c := append([]byte(nil), valid...)
		c[i] = b
		return c
	}
	for _, tc := range []struct {
		name    string
		codes   []byte
		comment string
		substr  string
	}{
		{"too short", valid[:30], "", "stored answers have 30 bytes; questionnaire digital-adoption v1 expects 31"},
		{"too long", append(valid, 0), "", "have 32 bytes"},
		{"code beyond the scale", withByte(0, 6), "", `item "email.private": stored code 6 is not an answer`},
		{"mask beyond the options", withByte(21, 0x02), "", `item "barriers": stored mask 0x200 names option 9 of 9`},
		{"comment with a control character", valid, "a\x07", "stored comment is invalid"},
	} {
		_, err := DefaultDefinition().DecodeAnswers(tc.codes, tc.comment)
		if got, want := ErrorCode(err), EINTERNAL; got != want {
			t.Errorf("%s: code = %q, want %q (%v)", tc.name, got, want, err)
			continue
		}
		if msg := err.(*Error).Message; !strings.Contains(msg, tc.substr) {
			t.Errorf("%s: message %q does not contain %q", tc.name, msg, tc.substr)
		}
	}
}

func TestDecodeAnswers_RefusesCommentWithoutTextItem(t *testing.T) {
	d := cloneDefault(t)
	removeItem(t, d, "comment")
	_, err := d.DecodeAnswers(make([]byte, 31), "hello")
	if got, want := ErrorCode(err), EINTERNAL; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
}
