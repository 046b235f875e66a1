package api

// Catalog exposes a language's messages to the external tests.
func Catalog(lang string) map[string]string { return catalog[lang] }
