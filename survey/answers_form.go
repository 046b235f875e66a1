package survey

import "strconv"

// AnswersFromForm turns the fields of a submitted HTML form into Answers for
// ValidateAnswers, so the form and the JSON API share one validation path.
// Only fields named after an item are read (a form also carries the
// invitation token and CSRF fields). A number becomes an int; anything else
// stays a string, which ValidateAnswers then reports as the wrong type; a
// repeated single field becomes a list, also reported.
func (d *Definition) AnswersFromForm(form map[string][]string) Answers {
	a := Answers{}
	for _, it := range d.Items() {
		vals := form[it.ID]
		switch {
		case len(vals) == 0:
		case it.Kind == KindText && len(vals) == 1:
			a[it.ID] = vals[0]
		case it.Kind == KindSingle && len(vals) == 1:
			a[it.ID] = formValue(vals[0])
		default:
			list := make([]any, 0, len(vals))
			for _, v := range vals {
				if v != "" || it.Kind != KindMulti {
					list = append(list, formValue(v))
				}
			}
			a[it.ID] = list
		}
	}
	return a
}

// formValue reads a form value as an int when it is one.
func formValue(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return s
}
