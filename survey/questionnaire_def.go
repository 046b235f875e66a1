package survey

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxDefinitionSize caps an uploaded questionnaire, so that parsing it stays
// cheap; the default one is about 15 KB.
const MaxDefinitionSize = 1 << 20

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
		return nil, Errorf(ETOOLARGE, "the questionnaire is larger than %d bytes", MaxDefinitionSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errorf(EMALFORMED, "the questionnaire is empty")
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, malformed(err)
	}
	if len(file.Docs) != 1 || file.Docs[0] == nil || file.Docs[0].Body == nil {
		return nil, Errorf(EMALFORMED, "the questionnaire must be exactly one YAML document")
	}
	body := file.Docs[0].Body
	check := &shapeChecker{}
	ast.Walk(check, body)
	if check.err != nil {
		return nil, check.err
	}
	var d Definition
	dec := yaml.NewDecoder(bytes.NewReader(nil), yaml.DisallowUnknownField())
	if err := dec.DecodeFromNode(body, &d); err != nil {
		return nil, malformed(err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// wholeNumberKeys are the keys whose value must be an integer: the YAML
// decoder would silently truncate 1.5 or accept "1" for them.
var wholeNumberKeys = map[string]bool{"version": true, "minutes": true, "value": true, "max_length": true}

// shapeChecker refuses what the decoder would accept too kindly: anchors
// and aliases (one line can then expand into thousands of items), tags and
// merge keys, and numbers that are not whole for integer fields.
type shapeChecker struct{ err *Error }

func (c *shapeChecker) Visit(n ast.Node) ast.Visitor {
	if c.err != nil || n == nil {
		return nil
	}
	switch n := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		c.err = nodeError(n, "anchors, aliases and merge keys are not supported; repeat the text or use a scale")
	case *ast.TagNode:
		c.err = nodeError(n, "YAML tags are not supported")
	case *ast.MappingValueNode:
		if n.Key == nil || n.Value == nil {
			return c
		}
		key := n.Key.GetToken()
		if key == nil || !wholeNumberKeys[key.Value] {
			return c
		}
		if _, ok := n.Value.(*ast.IntegerNode); !ok {
			c.err = nodeError(n.Value, fmt.Sprintf("%q must be a whole number", key.Value))
		}
	}
	return c
}

// nodeError is an EMALFORMED error that gives the line of n.
func nodeError(n ast.Node, msg string) *Error {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return Errorf(EMALFORMED, "line %d: %s", tk.Position.Line, msg)
	}
	return Errorf(EMALFORMED, "%s", msg)
}

// malformed turns a YAML error into an EMALFORMED error with its line, and
// without the source excerpt the library adds to its own message.
func malformed(err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return Errorf(EMALFORMED, "line %d: %s", tk.Position.Line, ye.GetMessage())
		}
		return Errorf(EMALFORMED, "%s", ye.GetMessage())
	}
	return Errorf(EMALFORMED, "cannot read the questionnaire: %v", err)
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
