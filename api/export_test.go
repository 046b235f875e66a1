package api

import "encoding/json"

// Catalog exposes a language's messages to the external tests.
func Catalog(lang string) map[string]string { return catalog[lang] }

// NumberText exposes how the pages write a number in lang.
func NumberText(lang, n string) string { return numberText(lang, json.Number(n)) }
