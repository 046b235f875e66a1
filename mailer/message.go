package mailer

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"digigap/survey"
)

// compose builds one message: a UTF-8 subject, a text part and an HTML
// alternative, a Message-ID on the sender's domain and the Date.
func compose(from, to string, m survey.Message, now time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, err
	}
	if err := msg.To(to); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID(from))
	msg.SetDateWithValue(now)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// messageID is random on the From domain: it says nothing of the recipient.
func messageID(from string) string {
	domain := "digigap.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = strings.TrimRight(from[at+1:], ">")
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@" + domain
}
