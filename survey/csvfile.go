package survey

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// readCSVFile reads a whole CSV upload the way spreadsheets write it: UTF-8
// with or without Excel's BOM, commas or semicolons (what French
// spreadsheets write). A file that cannot be read is refused with the line
// at fault; the header and rows are left to the caller.
func readCSVFile(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, Errorf(EMALFORMED, "cannot read the file: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, FieldError(EINVALID, "file", "the file is not UTF-8 text: save it as CSV UTF-8").Keyed("csv.utf8")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffDelimiter(data)
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, FieldError(EINVALID, fmt.Sprintf("line %d", pe.Line), "malformed CSV: %v", pe.Err).Keyed("csv.malformed_line", pe.Line)
		}
		return nil, FieldError(EINVALID, "file", "malformed CSV: %v", err)
	}
	return records, nil
}

func sniffDelimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}
