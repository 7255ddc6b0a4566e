package evaluation

import "encoding/json"

// Optional is a figure of a record that may not exist, such as the open-set AUROC of a run that holds no class
// out: with the `omitzero` JSON option it is absent from the line when !OK, and reads back as !OK. It is a value,
// not a pointer, so that records still compare with == (the tests of resumed and repeated runs do).
type Optional[T comparable] struct {
	Value T
	OK    bool
}

// Some is an Optional holding v.
func Some[T comparable](v T) Optional[T] { return Optional[T]{Value: v, OK: true} }

// MarshalJSON writes the value, or null when there is none (omitzero leaves it out before that).
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// UnmarshalJSON reads a value, or null as none.
func (o *Optional[T]) UnmarshalJSON(data []byte) error {
	*o = Optional[T]{}
	if string(data) == "null" {
		return nil
	}
	if err := json.Unmarshal(data, &o.Value); err != nil {
		return err
	}
	o.OK = true
	return nil
}
