package survey

import (
	"encoding/binary"
	"slices"
)

// Stored answer format
//
// A Response keeps its answers as a short byte string (codes) plus, apart,
// the free-text comment. The codes hold every non-text item of the
// definition, in definition order (Definition.Items), with no ids:
//
//   - a single item takes 1 byte: 0 when unanswered, else the option value
//     plus 1 (Validate keeps values in 0..MaxOptionValue, so 1..251);
//   - a multi item takes 4 bytes, a little-endian bit mask of the chosen
//     option indexes (bit i is the i-th option; Validate allows at most 32);
//     0 means unanswered.
//
// The default questionnaire encodes in 31 bytes (27 single items and one
// multi item), so a response row stays well under 400 bytes.
//
// The layout is therefore fixed by the definition, that is by its key and
// version: a Response is decoded with the definition of its campaign, and
// adding, removing or reordering items, or changing option values, needs a
// new version. Rewording labels does not.

// EncodeAnswers validates answers and packs them for storage; the comment
// is returned apart so it can be kept (and shown) away from the codes.
func (d *Definition) EncodeAnswers(a Answers) (codes []byte, comment string, err error) {
	n, err := d.NormalizeAnswers(a)
	if err != nil {
		return nil, "", err
	}
	return d.encodeNormalized(n)
}

// encodeNormalized packs answers NormalizeAnswers has already checked.
func (d *Definition) encodeNormalized(n Answers) (codes []byte, comment string, err error) {
	codes = make([]byte, 0, d.codesLen())
	for _, it := range d.Items() {
		switch it.Kind {
		case KindSingle:
			v, answered := n[it.ID].(int)
			if answered && (v < 0 || v > MaxOptionValue) {
				return nil, "", Errorf(EINTERNAL, "item %q: value %d does not fit an answer code", it.ID, v)
			}
			codes = append(codes, singleCode(v, answered))
		case KindMulti:
			chosen, _ := n[it.ID].([]int)
			mask, err := multiMask(it, d.ItemOptions(it), chosen)
			if err != nil {
				return nil, "", err
			}
			codes = binary.LittleEndian.AppendUint32(codes, mask)
		case KindText:
			comment, _ = n[it.ID].(string)
		}
	}
	return codes, comment, nil
}

// singleCode is the byte of a single item: 0 unanswered, else value + 1.
func singleCode(v int, answered bool) byte {
	if !answered {
		return 0
	}
	return byte(v + 1)
}

// multiMask sets bit i for each chosen value, i being the option's index.
func multiMask(it *Item, opts []Option, chosen []int) (uint32, error) {
	var mask uint32
	for _, v := range chosen {
		i := slices.IndexFunc(opts, func(o Option) bool { return o.Value == v })
		if i < 0 || i >= MaxMultiOptions {
			return 0, Errorf(EINTERNAL, "item %q: option %d does not fit an answer mask", it.ID, v)
		}
		mask |= 1 << i
	}
	return mask, nil
}

// DecodeAnswers unpacks codes and comment stored by EncodeAnswers with this
// same definition. A mismatch means corrupt data or the wrong questionnaire
// version, an EINTERNAL error.
func (d *Definition) DecodeAnswers(codes []byte, comment string) (Answers, error) {
	if want := d.codesLen(); len(codes) != want {
		return nil, Errorf(EINTERNAL, "stored answers have %d bytes; questionnaire %s v%d expects %d",
			len(codes), d.Key, d.Version, want)
	}
	a := Answers{}
	for _, it := range d.Items() {
		var err error
		switch it.Kind {
		case KindSingle:
			err = decodeSingle(a, it, d.ItemOptions(it), codes[0])
			codes = codes[1:]
		case KindMulti:
			err = decodeMulti(a, it, d.ItemOptions(it), binary.LittleEndian.Uint32(codes))
			codes = codes[4:]
		case KindText:
			err = decodeComment(a, it, comment)
			comment = ""
		}
		if err != nil {
			return nil, err
		}
	}
	if comment != "" {
		return nil, Errorf(EINTERNAL, "questionnaire %s v%d has no text item for a stored comment", d.Key, d.Version)
	}
	return a, nil
}

// decodeSingle sets the answer of a single item from its code.
func decodeSingle(a Answers, it *Item, opts []Option, code byte) error {
	if code == 0 {
		return nil
	}
	if !hasOption(opts, int(code)-1) {
		return Errorf(EINTERNAL, "item %q: stored code %d is not an answer", it.ID, code)
	}
	a[it.ID] = int(code) - 1
	return nil
}

// decodeMulti sets the answer of a multi item from its mask: the option
// values whose bits are set, in option order, which is increasing value order.
func decodeMulti(a Answers, it *Item, opts []Option, mask uint32) error {
	if mask == 0 {
		return nil
	}
	var chosen []int
	for i := range MaxMultiOptions {
		if mask&(1<<i) == 0 {
			continue
		}
		if i >= len(opts) {
			return Errorf(EINTERNAL, "item %q: stored mask %#x names option %d of %d", it.ID, mask, i, len(opts))
		}
		chosen = append(chosen, opts[i].Value)
	}
	a[it.ID] = chosen
	return nil
}

// decodeComment checks a stored comment like a submitted one and sets it.
func decodeComment(a Answers, it *Item, comment string) error {
	if comment == "" {
		return nil
	}
	v, problem := normalizeText(it, comment)
	if problem != "" {
		return Errorf(EINTERNAL, "item %q: stored comment is invalid: %s", it.ID, problem)
	}
	if v != nil {
		a[it.ID] = v
	}
	return nil
}

// codesLen is the length of the codes of one response.
func (d *Definition) codesLen() int {
	n := 0
	for _, it := range d.Items() {
		switch it.Kind {
		case KindSingle:
			n++
		case KindMulti:
			n += 4
		}
	}
	return n
}
