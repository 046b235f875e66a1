package survey

import (
	"bytes"
	"embed"
	"errors"
	"strings"
	"sync"
)

// MaxDefinitionSize caps an uploaded questionnaire, so that parsing it stays
// cheap; the default one is about 17 KB.
const MaxDefinitionSize = 256 << 10

//go:embed questionnaires/*.yaml
var questionnaireFiles embed.FS

const defaultDefinitionFile = "questionnaires/digital-adoption-v1.yaml"

var defaultDefinition = sync.OnceValue(func() *Definition {
	d, err := ParseDefinition(DefaultDefinitionYAML())
	if err != nil {
		panic("survey: embedded " + defaultDefinitionFile + " is broken: " + describeError(err))
	}
	return d
})

// DefaultDefinition returns digital adoption v1, the questionnaire digigap
// ships with, parsed once; it is shared, so callers must not modify it.
func DefaultDefinition() *Definition { return defaultDefinition() }

// DefaultDefinitionYAML returns the source of the default questionnaire, so
// HR can download it as a starting point for their own version.
func DefaultDefinitionYAML() []byte {
	data, err := questionnaireFiles.ReadFile(defaultDefinitionFile)
	if err != nil {
		panic("survey: " + defaultDefinitionFile + " is not embedded: " + err.Error())
	}
	return data
}

// ParseDefinition reads a questionnaire written in YAML or JSON and
// validates it, so that a definition reaching a campaign is always usable.
// Unknown keys, anchors, aliases and tags are refused; an undecodable input is
// EMALFORMED with its line, a decodable one that breaks a rule is EINVALID.
func ParseDefinition(data []byte) (*Definition, error) {
	if len(data) > MaxDefinitionSize {
		return nil, Errorf(ETOOLARGE, "the questionnaire is larger than %d bytes", MaxDefinitionSize).Keyed("definition.too_large", MaxDefinitionSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errorf(EMALFORMED, "the questionnaire is empty").Keyed("definition.empty")
	}
	d, err := decodeDefinition(data)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// describeError lists every field error of err on one line, for panics and logs.
func describeError(err error) string {
	var e *Error
	if !errors.As(err, &e) || len(e.Details) == 0 {
		return err.Error()
	}
	parts := make([]string, len(e.Details))
	for i, d := range e.Details {
		parts[i] = d.Error()
	}
	return strings.Join(parts, "; ")
}
