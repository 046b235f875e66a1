package api

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"digigap/static"
	"digigap/survey"
)

// Languages offered on every page; French first, the first customer's language.
var languages = []language.Tag{language.French, language.English}

var languageNames = map[string]string{"fr": "Français", "en": "English"}

var langMatcher = language.NewMatcher(languages)

// catalog maps a language to its messages, loaded once from static/i18n.
var catalog = mustLoadCatalog(static.Messages)

func mustLoadCatalog(fsys fs.FS) map[string]map[string]string {
	out := map[string]map[string]string{}
	files, _ := fs.Glob(fsys, "i18n/*.yaml")
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := yaml.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("message catalogue %s: %v", f, err)) // embedded: caught by tests
		}
		out[strings.TrimSuffix(path.Base(f), ".yaml")] = m
	}
	return out
}

// translate returns the message key in lang, formatted with args; a missing
// key shows itself, so a test or a reader spots it at once.
func translate(lang, key string, args ...any) string {
	msg, ok := catalog[lang][key]
	if !ok {
		msg, ok = catalog["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, phrasesIn(lang, args)...)
	}
	return msg
}

// phrasesIn words the arguments that are catalogue phrases (the item or
// the scale a questionnaire error names) in lang.
func phrasesIn(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if p, ok := a.(survey.Phrase); ok {
			a = translate(lang, "err."+p.Key, p.Args...)
		}
		out[i] = a
	}
	return out
}

// langCookie remembers a language chosen with ?lang=.
const langCookie = "lang"

// langOf picks the page language: ?lang= or a posted lang field
// (remembered in a cookie), then the cookie, then Accept-Language, then French.
func langOf(c *fiber.Ctx) string {
	l := c.Query("lang")
	if c.Method() == fiber.MethodPost && strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
		// Pages drawn by a POST switch language with a button of their form.
		if f := c.FormValue("lang"); f != "" {
			l = f
		}
	}
	if supported(l) {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: "Lax", HTTPOnly: true})
		return l
	}
	if l := c.Cookies(langCookie); supported(l) {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	if err != nil || len(tags) == 0 {
		return "fr"
	}
	_, i, _ := langMatcher.Match(tags...)
	base, _ := languages[i].Base()
	return base.String()
}

func supported(l string) bool {
	_, ok := languageNames[l]
	return ok
}

// languageLink is one entry of the language switch on every page.
type languageLink struct{ Code, Name, URL string }

// languageLinks builds the switch, keeping the current path and query.
func languageLinks(c *fiber.Ctx) []languageLink {
	out := make([]languageLink, 0, len(languages))
	for _, tag := range languages {
		code := tag.String()
		args := c.Request().URI().QueryArgs()
		q := fiber.AcquireArgs()
		args.CopyTo(q)
		q.Set("lang", code)
		out = append(out, languageLink{Code: code, Name: languageNames[code], URL: c.Path() + "?" + q.String()})
		fiber.ReleaseArgs(q)
	}
	return out
}
