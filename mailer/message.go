package mailer

import (
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"digigap/survey"
)

// compose builds one message: a UTF-8 subject, a text part and an HTML
// alternative, the Message-ID and Date of its preparation. The MIME
// boundary comes from the Message-ID too, so that a message sent again
// after a crash is the same bytes.
func compose(from, to string, m survey.Message, date time.Time, key string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, err
	}
	if err := msg.To(to); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID(from, key))
	msg.SetDateWithValue(date)
	msg.SetBoundary("digigap-" + key)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// messageID is the message's random key on the From domain: it says
// nothing of the recipient.
func messageID(from, key string) string {
	domain := "digigap.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = strings.TrimRight(from[at+1:], ">")
	}
	return key + "@" + domain
}
