package language

import "testing"

// TestCurrent: Chosen first, then $CENTERLOSS_LANG (read as $LANG is); anything we have no words for is English.
// Where the program runs says nothing: a notebook's path in a ja folder ($JPY_SESSION_NAME, which Jupyter's server
// gives its kernel) is the lessons' kernel's to turn into $CENTERLOSS_LANG, not the library's to read.
func TestCurrent(t *testing.T) {
	defer Set(Chosen)
	for _, c := range []struct{ lang, env, session, want string }{
		{"", "", "", "en"}, {"", "en_US.UTF-8", "", "en"}, {"ja", "", "", "ja"}, {"", "xx", "", "en"},
		{"EN", "ja", "", "en"}, {"", "ja_JP.UTF-8", "", "ja"}, {"ja-JP", "", "", "ja"},
		{"", "", "notebooks/ja/03_center_loss_theory.ipynb", "en"}, {"", "ja", "notebooks/03.ipynb", "ja"},
	} {
		t.Setenv(EnvVar, c.env)
		t.Setenv("JPY_SESSION_NAME", c.session)
		Set(c.lang)
		if got := Current(); got != c.want {
			t.Errorf("Chosen %q, $%s %q, $JPY_SESSION_NAME %q: %s, want %s", c.lang, EnvVar, c.env, c.session, got,
				c.want)
		}
	}
}
