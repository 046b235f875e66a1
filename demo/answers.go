package demo

import (
	"math/rand/v2"

	"digigap/survey"
)

// privateHabit is how common regular private use of each channel is.
var privateHabit = map[string]float64{
	"email": 0.92, "sms": 0.95, "voice_call": 0.95, "instant_messaging": 0.9, "video_call": 0.6,
	"social_networks": 0.75, "smartphone_apps": 0.9, "web_services": 0.88, "e_signature": 0.45, "shared_documents": 0.5,
}

// workHabit is how readily each channel is used at work in a fully digital team.
var workHabit = map[string]float64{
	"email": 0.95, "sms": 0.55, "voice_call": 0.95, "instant_messaging": 0.6, "video_call": 0.5,
	"social_networks": 0.3, "smartphone_apps": 0.45, "web_services": 0.7, "e_signature": 0.6, "shared_documents": 0.75,
}

var comments = []string{
	"Les clients me demandent souvent s'ils peuvent m'écrire par SMS, je ne sais jamais si j'ai le droit.",
	"Il faudrait une messagerie sécurisée simple pour échanger avec les clients.",
	"Le rendez-vous en visio fonctionne bien avec les jeunes actifs.",
	"Nous n'avons pas les numéros de portable à jour de la plupart des clients.",
	"Une formation courte sur la signature électronique serait utile.",
	"Je préfère appeler, c'est plus rapide qu'un long e-mail.",
	"The rules for social networks are unclear; I avoid them with clients.",
}

// form is the item ids answer fills, looked up once per questionnaire
// rather than once per respondent.
type form struct {
	channels []struct{ id, private, work string }
	culture  []string
}

func newForm(def *survey.Definition) *form {
	f := &form{}
	for _, ch := range def.ChannelIDs() {
		priv, work := def.FrequencyItems(ch)
		f.channels = append(f.channels, struct{ id, private, work string }{ch, priv.ID, work.ID})
	}
	for _, it := range def.ItemsByRole(survey.RoleCulture) {
		f.culture = append(f.culture, it.ID)
	}
	return f
}

// answer draws one respondent's answers for a team in a wave (0, 1 or 2).
func answer(rng *rand.Rand, f *form, t teamProfile, wave int) survey.Answers {
	a := survey.Answers{}
	culture := t.culture + 0.07*float64(wave)
	allPrivate := rng.Float64() < 0.76
	for _, ch := range f.channels {
		p := privateFreq(rng, privateHabit[ch.id], allPrivate)
		a[ch.private] = p
		a[ch.work] = workFreq(rng, ch.id, culture, t.blocksSMS, p)
	}
	barriers := pickBarriers(rng, t.blocksSMS, culture)
	if len(barriers) > 0 {
		a["barriers"] = barriers
	}
	for _, id := range f.culture {
		a[id] = agreement(rng, culture, id)
	}
	a["profile.role_family"] = roleValue(t.role)
	a["profile.tenure"] = rng.IntN(3)
	if rng.Float64() < 0.12 {
		a["comment"] = comments[rng.IntN(len(comments))]
	}
	return a
}

func privateFreq(rng *rand.Rand, habit float64, allChannels bool) int {
	switch {
	case rng.Float64() < habit:
		return 3 + rng.IntN(2)
	case allChannels:
		return 1 + rng.IntN(2)
	case rng.Float64() < 0.5:
		return 0
	}
	return 1 + rng.IntN(2)
}

// workFreq: rarely above private use; blocked where policy says so.
func workFreq(rng *rand.Rand, ch string, culture float64, blocksSMS bool, private int) int {
	if blocksSMS && (ch == "sms" || ch == "social_networks") && rng.Float64() < 0.8 {
		return 5 // not available or not allowed at work
	}
	if (ch == "instant_messaging" || ch == "smartphone_apps") && rng.Float64() < 0.08 {
		return 5
	}
	if rng.Float64() < workHabit[ch]*culture*1.15 {
		return 3 + rng.IntN(2)
	}
	if private == 0 && rng.Float64() < 0.7 {
		return 0
	}
	return rng.IntN(3)
}

func pickBarriers(rng *rand.Rand, blocksSMS bool, culture float64) []int {
	weights := []float64{0.25, 0.2, 0.3, 0.25, 0.3, 0.35, 0.2, 0.1, 0.15}
	if blocksSMS {
		weights[0] = 0.6
	}
	var out []int
	for i, w := range weights {
		if rng.Float64() < w*(1.2-culture) {
			out = append(out, i)
		}
	}
	return out
}

func agreement(rng *rand.Rand, culture float64, id string) int {
	mean := 1.5 + 3*culture
	if id == "culture.wants_training" {
		mean = 3.8
	}
	v := int(mean + rng.NormFloat64()*0.9 + 0.5)
	return min(max(v, 1), 5)
}

func roleValue(role string) int {
	switch role {
	case "client_advisor":
		return 0
	case "business_advisor":
		return 1
	}
	return 3
}
