package static

import "embed"

// Templates holds the server-rendered pages (Fiber's html engine), kept
// apart from FS so that no template is ever served as a file.
//
//go:embed templates
var Templates embed.FS

// Messages holds the message catalogues, one YAML file per language: every
// text of a page comes from here or from a questionnaire definition.
//
//go:embed i18n
var Messages embed.FS
