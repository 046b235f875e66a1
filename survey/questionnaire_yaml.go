package survey

import (
	"bytes"
	"errors"
	"regexp"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits on the shape of a questionnaire file. A definition needs 8 levels
// of nesting and a dozen keys per mapping; the YAML parser's time grows with
// the square of the depth and of the number of keys in one block mapping,
// so a line of 100 000 "[" or a mapping of 100 000 keys would hang it.
const (
	maxYAMLDepth = 24
	maxYAMLKeys  = 100
)

// decodeDefinition reads one YAML (or JSON) document into a Definition,
// refusing first what the parser or the decoder handle badly.
func decodeDefinition(data []byte) (*Definition, error) {
	tokens := lexer.Tokenize(string(data))
	if err := checkShape(tokens); err != nil {
		return nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, malformed(err)
	}
	if len(file.Docs) != 1 || file.Docs[0] == nil || file.Docs[0].Body == nil {
		return nil, Errorf(EMALFORMED, "the questionnaire must be exactly one YAML document").Keyed("definition.one_document")
	}
	body := file.Docs[0].Body
	check := &nodeChecker{}
	if ast.Walk(check, body); check.err != nil {
		return nil, check.err
	}
	var d Definition
	dec := yaml.NewDecoder(bytes.NewReader(nil), yaml.DisallowUnknownField())
	if err := dec.DecodeFromNode(body, &d); err != nil {
		return nil, malformed(err)
	}
	return &d, nil
}

// block is an open block collection: the column of its dashes or keys, and
// how many keys it has.
type block struct{ col, keys int }

// checkShape estimates nesting from the tokens: open flow collections ("[",
// "{") plus open block collections, tracked by the columns of sequence
// dashes and mapping keys; it also counts the keys of each block mapping.
func checkShape(tokens token.Tokens) *Error {
	flow := 0
	var open []block // increasing columns
	for i, tk := range tokens {
		if tk == nil || tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType:
			open, _ = openBlock(open, tk.Position.Column, 0)
		case token.MappingValueType:
			if flow > 0 || i == 0 || tokens[i-1] == nil || tokens[i-1].Position == nil {
				break
			}
			var keys int
			if open, keys = openBlock(open, tokens[i-1].Position.Column, 1); keys > maxYAMLKeys {
				return Errorf(EMALFORMED, "line %d: a mapping has more than %d keys", tk.Position.Line, maxYAMLKeys).
					Keyed("definition.too_many_keys", tk.Position.Line, maxYAMLKeys)
			}
		}
		if flow+len(open) > maxYAMLDepth {
			return Errorf(EMALFORMED, "line %d: the questionnaire is nested more than %d levels deep",
				tk.Position.Line, maxYAMLDepth).Keyed("definition.too_deep", tk.Position.Line, maxYAMLDepth)
		}
	}
	return nil
}

// openBlock closes the blocks right of col and adds keys to the block at
// col, opening it if needed; it returns the block's key count.
func openBlock(open []block, col, keys int) ([]block, int) {
	for len(open) > 0 && open[len(open)-1].col > col {
		open = open[:len(open)-1]
	}
	if len(open) == 0 || open[len(open)-1].col != col {
		open = append(open, block{col: col})
	}
	top := &open[len(open)-1]
	top.keys += keys
	return open, top.keys
}

// wholeNumberKeys are the keys whose value must be an integer: the YAML
// decoder would silently truncate 1.5 or accept "1" for them.
var wholeNumberKeys = map[string]bool{"version": true, "minutes": true, "value": true, "max_length": true}

// nodeChecker refuses what the decoder would accept too kindly: anchors
// and aliases (one line can then expand into thousands of items), tags and
// merge keys, and numbers that are not whole for integer fields.
type nodeChecker struct{ err *Error }

// Visit checks one node and goes on into its children until a problem is found.
func (c *nodeChecker) Visit(n ast.Node) ast.Visitor {
	if c.err != nil || n == nil {
		return nil
	}
	switch n := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		c.err = nodeError(n, subject("anchors", "anchors, aliases and merge keys are not supported; repeat the text or use a scale"))
	case *ast.TagNode:
		c.err = nodeError(n, subject("tags", "YAML tags are not supported"))
	case *ast.MappingValueNode:
		if n.Key == nil || n.Value == nil {
			return c
		}
		key := n.Key.GetToken()
		if key == nil || !wholeNumberKeys[key.Value] {
			return c
		}
		if _, ok := n.Value.(*ast.IntegerNode); !ok {
			c.err = nodeError(n.Value, subject("whole_number", "%q must be a whole number", key.Value))
		}
	}
	return c
}

// nodeError is an EMALFORMED error that gives the line of n.
func nodeError(n ast.Node, msg Phrase) *Error {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return Errorf(EMALFORMED, "line %d: %s", tk.Position.Line, msg).Keyed("definition.at_line", tk.Position.Line, msg)
	}
	return Errorf(EMALFORMED, "%s", msg).Keyed("definition.as_is", msg)
}

// malformed turns a YAML error into an EMALFORMED error with its line, and
// without the source excerpt the library adds to its own message.
func malformed(err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := yamlPhrase(clip(ye.GetMessage(), 200))
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return Errorf(EMALFORMED, "line %d: %s", tk.Position.Line, msg).Keyed("definition.at_line", tk.Position.Line, msg)
		}
		return Errorf(EMALFORMED, "%s", msg).Keyed("definition.as_is", msg)
	}
	msg := clip(err.Error(), 200)
	return Errorf(EMALFORMED, "cannot read the questionnaire: %s", msg).Keyed("definition.unreadable", msg)
}

// unknownField matches the decoder's refusal of a key the format lacks.
var unknownField = regexp.MustCompile(`^unknown field "([^"]*)"$`)

// yamlPhrase words the parser's message: an unknown key, the commonest
// mistake, in the reader's language; any other as the parser says it.
func yamlPhrase(msg string) Phrase {
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return subject("unknown_field", "unknown field %q", m[1])
	}
	return subject("yaml", "%s", msg)
}
