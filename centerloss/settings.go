package centerloss

import "github.com/centerloss/centerloss/centerloss/setting"

// The center update rules CenterUpdate chooses between.
const (
	CenterUpdateEq4      = "eq4"
	CenterUpdateGradient = "gradient"
)

// The method's settings.
var (
	Lambda = setting.Declare("center_loss_lambda", 0.01,
		"λ, the weight of the center loss in L = L_S + λ·L_C; 0 gives the softmax baseline", setting.AtLeast(0.0))
	Alpha = setting.Declare("center_loss_alpha", 0.5,
		"α, the step of the center update of Eq. 4", setting.InRange(0, 1))
	CenterUpdate = setting.Declare("center_update", CenterUpdateEq4,
		`how the centers move: "eq4" (the paper's Eq. 4, step α) or "gradient" (plain SGD on ∂L_C/∂c, step center_lr)`,
		setting.OneOf(CenterUpdateEq4, CenterUpdateGradient))
	// CenterLR's default 1.0 is KaiyangZhou's lr_cent 0.5: his L_C has no ½, so his centers' gradient is twice ours.
	CenterLR = setting.Declare("center_lr", 1.0,
		`the learning rate of the "gradient" center update (no momentum, no weight decay, no schedule)`,
		setting.Positive[float64]())
)

// Settings lists the method's settings.
var Settings = setting.List{Lambda, Alpha, CenterUpdate, CenterLR}
