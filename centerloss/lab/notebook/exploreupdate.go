package notebook

import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
)

// exploreLimits are the fixed axes of ExploreUpdate: the frame stays put while a feature is dragged around.
var exploreLimits = plots.Limits{XMin: -5, XMax: 5, YMin: -5, YMax: 5}

// ExploreUpdate is the worked center update (WorkOneStep, through XLA, by the library's own functions) under
// three sliders: α, and the two coordinates of the first feature. Each move runs the update again and redraws it.
func ExploreUpdate(features [][]float32, center []float32) error {
	if len(features) == 0 || len(features[0]) != 2 || len(center) != 2 {
		return fmt.Errorf("notebook: ExploreUpdate draws 2-D features and a 2-D center")
	}
	tenth := func(p int) string { return fmt.Sprintf("%.1f", float64(p)/10) }
	sliders := []Slider{
		{Label: "α", Min: 5, Max: 100, Value: 50, Show: func(p int) string { return fmt.Sprintf("%.2f", float64(p)/100) }},
		{Label: language.Say("x₁, first coordinate"), Min: -45, Max: 45, Value: int(10 * features[0][0]), Show: tenth},
		{Label: language.Say("x₁, second coordinate"), Min: -45, Max: 45, Value: int(10 * features[0][1]), Show: tenth},
	}
	return Interact(sliders, func(p []int) ([]byte, error) {
		moved := append([][]float32{{float32(p[1]) / 10, float32(p[2]) / 10}}, features[1:]...)
		step, err := WorkOneStep(moved, center, float64(p[0])/100)
		if err != nil {
			return nil, err
		}
		picture := step.CenterStep()
		picture.Limits = &exploreLimits
		return picture.PNG(PictureWidth, PictureHeight)
	})
}
