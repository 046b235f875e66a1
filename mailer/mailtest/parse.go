package mailtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

// Parsed is a message as a reader sees it.
type Parsed struct {
	Header     mail.Header
	Subject    string // decoded
	Text, HTML string
}

// Parse decodes a message: headers, subject, text and HTML parts.
func Parse(data []byte) (*Parsed, error) {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: m.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		return nil, err
	}
	return p, p.walk(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
}

func (p *Parsed) walk(ctype, enc string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := p.walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(enc, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		p.Text = string(b)
	case "text/html":
		p.HTML = string(b)
	}
	return nil
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+/s/#t=[A-Za-z0-9_-]+`)

// Link is the personal link of the text part ("" when there is none).
func (p *Parsed) Link() string { return linkRE.FindString(p.Text) }

// Token is the token of the personal link.
func (p *Parsed) Token() string {
	_, tok, _ := strings.Cut(p.Link(), "#t=")
	return tok
}
