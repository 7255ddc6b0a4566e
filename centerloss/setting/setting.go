// Package setting declares hyperparameters once: each Setting holds its key in a GoMLX model.Store, its default,
// its meaning and its check, and is read only through itself, so no reader can fall back on a default of its own.
//
// Each package of centerloss declares the settings it reads (the method its λ and α, the network its embedding
// width, training its schedule) and lists them in a List; nothing is registered globally, so importing a package
// changes no other package's state.
package setting

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// Value is what a setting can hold: the types a command line's -set key=value can give.
type Value interface {
	~int | ~int64 | ~float64 | ~string | ~bool
}

// Check is one condition on a setting's value; Why says it as the end of "setting key=value: ...".
type Check[T Value] struct {
	OK  func(scope *model.Scope, v T) bool
	Why string
}

// Setting is one hyperparameter, declared once with Declare.
type Setting[T Value] struct {
	Key     string // its key in the model.Store, the key of `-set key=value`
	Default T
	Doc     string // its meaning, one sentence
	checks  []Check[T]
}

// Declare makes a setting: its key, default, meaning and the checks its value must pass.
func Declare[T Value](key string, defaultValue T, doc string, checks ...Check[T]) *Setting[T] {
	return &Setting[T]{Key: key, Default: defaultValue, Doc: doc, checks: checks}
}

// Get reads the setting in scope (or the scopes above it): its value if set, else its Default.
func (s *Setting[T]) Get(scope *model.Scope) T { return model.GetParamOr(scope, s.Key, s.Default) }

// Set writes v at scope.
func (s *Setting[T]) Set(scope *model.Scope, v T) { scope.SetParam(s.Key, v) }

// Name is the setting's key.
func (s *Setting[T]) Name() string { return s.Key }

// Meaning is the setting's documentation.
func (s *Setting[T]) Meaning() string { return s.Doc }

// DefaultValue is the setting's default, as any.
func (s *Setting[T]) DefaultValue() any { return s.Default }

// Validate checks the setting's value in scope: a one-line error that names it when a check fails, or when the
// value stored under its key has another type.
func (s *Setting[T]) Validate(scope *model.Scope) error {
	if stored, found := scope.GetParam(s.Key); found && stored != nil {
		if _, ok := stored.(T); !ok {
			return errors.Errorf("setting %s=%v: must be %s", s.Key, stored, kind(s.Default))
		}
	}
	v := s.Get(scope)
	for _, c := range s.checks {
		if !c.OK(scope, v) {
			return errors.Errorf("setting %s=%v: %s", s.Key, v, c.Why)
		}
	}
	return nil
}

// Parse reads text as a value of the setting's type.
func (s *Setting[T]) Parse(text string) (any, error) {
	var v T
	var err error
	switch p := any(&v).(type) {
	case *int:
		*p, err = strconv.Atoi(text)
	case *int64:
		*p, err = strconv.ParseInt(text, 10, 64)
	case *float64:
		*p, err = strconv.ParseFloat(text, 64)
	case *bool:
		*p, err = strconv.ParseBool(text)
	case *string:
		*p = text
	default:
		err = errors.Errorf("settings of type %T cannot be parsed", v)
	}
	if err != nil {
		return nil, errors.Errorf("setting %s=%q: not %s", s.Key, text, kind(s.Default))
	}
	return v, nil
}

// kind names the type of v for a person: "an integer", "a number", "true or false", "a string".
func kind(v any) string {
	switch v.(type) {
	case int, int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	}
	return "a string"
}

// Any is a Setting of any type.
type Any interface {
	Name() string
	Meaning() string
	DefaultValue() any
	Validate(scope *model.Scope) error
	Parse(text string) (any, error)
}

// List is the settings a program reads.
type List []Any

// Lookup finds the setting of key.
func (l List) Lookup(key string) (Any, bool) {
	i := slices.IndexFunc(l, func(s Any) bool { return s.Name() == key })
	if i < 0 {
		return nil, false
	}
	return l[i], true
}

// Validate checks every setting of the list in scope, and that scope's store holds no parameter that the list does
// not declare (a misspelt key would otherwise be silently ignored). Parameters under a sub-scope (GoMLX's own, such
// as the optimizer's) are not checked.
func (l List) Validate(scope *model.Scope) error {
	for path := range scope.Store().IterParams() {
		key := strings.TrimPrefix(path, "/")
		if _, ok := l.Lookup(key); !ok && !strings.Contains(key, "/") {
			return errors.Errorf("setting %s: unknown; the settings are %s", key, strings.Join(l.Names(), ", "))
		}
	}
	for _, s := range l {
		if err := s.Validate(scope); err != nil {
			return err
		}
	}
	return nil
}

// Names lists the keys, in the list's order.
func (l List) Names() []string {
	names := make([]string, len(l))
	for i, s := range l {
		names[i] = s.Name()
	}
	return names
}

// SetFromText sets "key=value" in scope, parsed as the declared setting's type.
func (l List) SetFromText(scope *model.Scope, assignment string) (key string, err error) {
	key, text, ok := strings.Cut(assignment, "=")
	if !ok || key == "" {
		return "", errors.Errorf("setting %q: want key=value", assignment)
	}
	s, found := l.Lookup(key)
	if !found {
		return "", errors.Errorf("setting %s: unknown; the settings are %s", key, strings.Join(l.Names(), ", "))
	}
	v, err := s.Parse(text)
	if err != nil {
		return "", err
	}
	scope.SetParam(key, v)
	return key, nil
}

// Describe writes one line per setting: key, default and meaning.
func (l List) Describe() string {
	var b strings.Builder
	for _, s := range l {
		_, _ = fmt.Fprintf(&b, "  %-20s %-10v %s\n", s.Name(), s.DefaultValue(), s.Meaning())
	}
	return b.String()
}

// Checks that settings share.

// AtLeast is v ≥ lo.
func AtLeast[T ~int | ~int64 | ~float64](lo T) Check[T] {
	return Check[T]{func(_ *model.Scope, v T) bool { return v >= lo }, fmt.Sprintf("must be ≥ %v", lo)}
}

// Positive is v > 0.
func Positive[T ~int | ~int64 | ~float64]() Check[T] {
	return Check[T]{func(_ *model.Scope, v T) bool { return v > 0 }, "must be > 0"}
}

// InRange is lo < v ≤ hi.
func InRange(lo, hi float64) Check[float64] {
	return Check[float64]{func(_ *model.Scope, v float64) bool { return v > lo && v <= hi },
		fmt.Sprintf("must be in (%v, %v]", lo, hi)}
}

// OneOf is v among the allowed values.
func OneOf(allowed ...string) Check[string] {
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	return Check[string]{func(_ *model.Scope, v string) bool { return slices.Contains(allowed, v) },
		"must be one of " + strings.Join(quoted, ", ")}
}
