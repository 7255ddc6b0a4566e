package language

import "testing"

// TestCurrent: Chosen first, then $CENTERLOSS_LANG (read as $LANG is), then a notebook in a "ja" folder
// ($JPY_SESSION_NAME, set by Jupyter's server); anything we have no words for is English.
func TestCurrent(t *testing.T) {
	defer Set(Chosen)
	for _, c := range []struct{ lang, env, session, want string }{
		{"", "", "", "en"}, {"", "en_US.UTF-8", "", "en"}, {"ja", "", "", "ja"}, {"", "xx", "", "en"},
		{"EN", "ja", "", "en"}, {"", "ja_JP.UTF-8", "", "ja"}, {"", "", "ja/03_center_loss_theory.ipynb", "ja"},
		{"", "", "/home/me/centerloss/notebooks/ja/03.ipynb", "ja"}, {"", "", "03_center_loss_theory.ipynb", "en"},
		{"", "", "jazz/03.ipynb", "en"}, {"", "en", "ja/03.ipynb", "en"}, {"ja-JP", "", "", "ja"},
	} {
		t.Setenv(EnvVar, c.env)
		t.Setenv(SessionEnvVar, c.session)
		Set(c.lang)
		if got := Current(); got != c.want {
			t.Errorf("Chosen %q, $%s %q, $%s %q: %s, want %s", c.lang, EnvVar, c.env, SessionEnvVar, c.session, got,
				c.want)
		}
	}
}
