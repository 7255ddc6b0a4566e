package language

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
)

// FontEnvVar names a font file (TrueType, OpenType or a collection of them) with Japanese glyphs, looked for
// before the places where systems install one: CENTERLOSS_JA_FONT.
const FontEnvVar = "CENTERLOSS_JA_FONT"

// FontPaths are where Debian's and Ubuntu's packages and macOS put a Japanese sans-serif font, in the order looked
// for: IPA P Gothic (fonts-ipafont-gothic, which `make setup` and the Docker image install; proportional, so that
// Latin words and figures read as they do in English), Noto Sans CJK (fonts-noto-cjk), Hiragino (macOS).
var FontPaths = []string{
	"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
}

// Font is a parsed font file.
type Font struct {
	Path string
	Font *opentype.Font
}

// JapaneseFont returns the first font of $CENTERLOSS_JA_FONT and FontPaths that is there, read once: a file named
// by the variable that cannot be read or parsed is an error, not a reason to look further.
var JapaneseFont = sync.OnceValues(func() (*Font, error) {
	if path := os.Getenv(FontEnvVar); path != "" {
		return readFont(path)
	}
	for _, path := range FontPaths {
		if _, err := os.Stat(path); err == nil {
			return readFont(path)
		}
	}
	return nil, fmt.Errorf("no font with Japanese glyphs in $%s nor in %s (Debian, Ubuntu: apt install "+
		"fonts-ipafont-gothic)", FontEnvVar, strings.Join(FontPaths, ", "))
})

// readFont parses a TrueType or OpenType file, or the first font of a collection (.ttc).
func readFont(path string) (*Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("font: %v", err) // the error names the file
	}
	f, err := opentype.Parse(data)
	if err != nil {
		collection, errCollection := opentype.ParseCollection(data)
		if errCollection != nil {
			return nil, fmt.Errorf("font %s: neither a font nor a collection of fonts: %v", path, err)
		}
		if f, err = collection.Font(0); err != nil {
			return nil, fmt.Errorf("font %s: %v", path, err)
		}
	}
	return &Font{Path: path, Font: f}, nil
}
