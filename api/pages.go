package api

import (
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"digigap/static"
)

// newEngine loads the embedded page templates with the helpers they use:
// t (a message in a language) and asset (a cache-busting static URL).
func newEngine() *html.Engine {
	sub, err := fs.Sub(static.Templates, "templates")
	if err != nil {
		panic(err)
	}
	e := html.NewFileSystem(http.FS(sub), ".html")
	e.AddFunc("t", translate)
	e.AddFunc("asset", static.AssetURL)
	e.AddFunc("chartData", chartData)
	e.AddFunc("has", hasMessage)
	e.AddFunc("dict3", fieldArgs)
	return e
}

// render draws page name inside the main layout. data holds the page's own
// fields; the language, its switch, the CSP nonce and the title are added here.
func render(c *fiber.Ctx, status int, name, title string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	lang := langOf(c)
	data["Lang"] = lang
	data["Languages"] = languageLinks(c)
	data["Nonce"] = nonceOf(c)
	data["Title"] = title
	if u := callerUser(c); u != nil && !viaToken(c) {
		// Every signed-in page carries the account link and sign-out button.
		data["SignedIn"], data["HeaderCSRF"] = true, csrfToken(c)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Render(name, data, "layouts/main")
}

// renderErrorPage answers a browser with a page in its language instead of JSON.
func renderErrorPage(c *fiber.Ctx, status int, msg string) error {
	lang := langOf(c)
	heading := translate(lang, "error."+itoa(status))
	if heading == "error."+itoa(status) {
		heading = translate(lang, "error.500")
	}
	if status == fiber.StatusNotFound || status == fiber.StatusRequestEntityTooLarge || status >= 500 {
		msg = "" // the heading says it all; details stay in the log
	}
	return render(c, status, "error", translate(lang, "error.title"), fiber.Map{"Heading": heading, "Message": msg})
}

// fieldArg is what the console's field template needs: the page (for its
// language and errors), the field's name, input type and value.
type fieldArg struct {
	P     map[string]any
	Name  string
	Type  string
	Value any
}

func fieldArgs(page map[string]any, name, typ string, value any) fieldArg {
	return fieldArg{P: page, Name: name, Type: typ, Value: value}
}
