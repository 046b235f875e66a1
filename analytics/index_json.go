package analytics

// writeIndexFigures writes the index's n and interval (index.go): null
// wherever the index is withheld, and the interval null where none could
// be computed.
func writeIndexFigures(w *jw, shown bool, f *IndexFigures, index float64) {
	writeIndexFiguresAs(w, w.key, shown, f, index)
}

// writeIndexFiguresAs writes the index's figures, each after field(name):
// a key in the object layout, a comma in the compact one.
func writeIndexFiguresAs(w *jw, field func(name string), shown bool, f *IndexFigures, index float64) {
	field("index_n")
	optInt(w, shown, f.N)
	field("index_ci_pp")
	optInterval(w, shown && f.HasCI, f.CI, 100, decPP)
	field("index_deff")
	optNum(w, shown && f.HasCI, max(f.Deff, 1), decMean)
	field("index_fpc")
	optNum(w, shown && f.HasCI, f.FPC, decShare)
	field("index_wide")
	if shown {
		w.bool(f.Wide(index))
	} else {
		w.null()
	}
}

// writePopulation says whether the two compared waves speak of the same
// people (trend.go): the teams both covered, and their frozen headcounts.
func writePopulation(w *jw, row *GapRow) {
	w.key("same_population")
	w.bool(row.SamePopulation())
	w.key("population")
	optInt(w, row.Comparable, row.Populations[0])
	w.key("compare_population")
	optInt(w, row.Comparable, row.Populations[1])
}
