package language

// japanese holds the lessons' words in Japanese, by their English: the pictures' titles, axes, legends and
// captions, the widgets' labels and the worked example's lines. The terms are the field's as Japanese readers know
// them (特徴ベクトル, 中心, 精度, 主成分, Softmax Loss, Center Loss), as in notebooks/ja/. A format keeps the English
// arguments (TestEveryFormatKeepsItsArguments), reordered with explicit indices where Japanese word order needs it.
var japanese = map[string]string{
	// The widgets (package notebook).
	"Done": "完了",
	"Move the sliders; Done (or %.0f s without a move) ends the cell and keeps the last picture.": "スライダーを動かしてみてください。" +
		"「完了」を押すか、%.0f 秒動かさずにいるとセルが終わり、最後の図が残ります。",
	"(%s: the sliders move in JupyterLab; run headless, this is the picture at their start)": "（%s: スライダーは " +
		"JupyterLab の中で動きます。ブラウザなしで実行したので、これは初期位置の図です）",
	"%s %s (chosen)": "%s %s（選択）",
	"%s %s (the default: nobody pressed %s for %.0f s)": "%s %s（既定値: %s が %.0f 秒間押されませんでした）",
	"%s %s (the default: run headless, nobody chooses)": "%s %s（既定値: ブラウザなしで実行したので、だれも選んでいません）",
	", ":                           "、", // between the sliders' positions
	"one solution":                 "解答例を見る",
	"training step":                "学習ステップ",
	"epoch":                        "エポック",
	"x₁, first coordinate":         "x₁ の第1成分",
	"x₁, second coordinate":        "x₁ の第2成分",
	"n_j, samples per batch":       "ミニバッチ内のサンプル数 n_j",
	"blend of the %d and the %d":   "%d と %d の混ぜ具合",
	"%.0f %% of the way to the %d": "%.0f %%（%d の方へ）",

	// What a lesson's code cells hand to the widgets (notebook.Choose in lesson 4).
	"0 (softmax alone)": "0（Softmax Loss のみ）",
	"Train":             "学習する",

	// The pictures of the embedding (packages plots and evaluation).
	"feature 1":               "特徴ベクトルの第1成分",
	"feature 2":               "特徴ベクトルの第2成分",
	"features %d and %d of 3": "3次元の特徴ベクトルの第%d成分と第%d成分",
	"feature %d of 3":         "3次元の特徴ベクトルの第%d成分",
	"%s (%d-D, first two principal components)":                    "%s（%d次元、第1・第2主成分）",
	"principal component 1 of the %d-D features":                   "%d次元の特徴ベクトルの第1主成分",
	"principal component 2 of the %d-D features":                   "%d次元の特徴ベクトルの第2主成分",
	"principal component 1":                                        "第1主成分",
	"principal component 2":                                        "第2主成分",
	"%d held out":                                                  "%d（学習から除外）",
	"raw pixels projected on their first two principal components": "生の画素値を第1・第2主成分に射影",

	// The worked center update (plots.CenterStep, notebook.WorkedStep).
	"feature x_1":               "特徴ベクトル x_1",
	"features x_1, x_2":         "特徴ベクトル x_1, x_2",
	"features x_1 … x_%d":       "特徴ベクトル x_1 … x_%d",
	`their mean \bar{x}`:        `その平均 \bar{x}`,
	"c − x_i, Eq. 4's terms":    "c − x_i（式4の各項）",
	"old center c":              "更新前の中心 c",
	"step −α·Δc, α = %g":        "中心の移動量 −α·Δc（α = %g）",
	"new center c − α·Δc":       "更新後の中心 c − α·Δc",
	"one center update, α = %g": "中心の更新 1 回分（α = %g）",
	"center c = %s, α = %g, batch of m = %d features, n = %d of them of this class\n": "中心 c = %s、α = %g、" +
		"ミニバッチの特徴ベクトル m = %d 個、そのうちこのクラスのもの n = %d 個\n",
	"(all the features here are of one class, so m = n; in training m is the batch size and n ≤ m)\n": "（ここでは" +
		"特徴ベクトルがすべて同じクラスなので m = n です。学習では m はバッチサイズで、n ≤ m です）\n",
	"\nL_C = ½ · (1/m) Σ ‖x_i − c‖² (the mean over the batch) = %g\n": "\nL_C = ½ · (1/m) Σ ‖x_i − c‖²" +
		"（ミニバッチ全体の平均）= %g\n",
	"c ← c − α·Δc = %s − %g·%s = %s   (computed by centerloss.UpdateCenters)\n": "c ← c − α·Δc = %s − %g·%s = %s" +
		"   （centerloss.UpdateCenters で計算）\n",

	// Training, step by step (package notebook).
	"step": "ステップ",
	"epoch %g (step %d): λ=%g α=%g, test accuracy %.2f%%": "エポック %g（ステップ %d）: λ=%g α=%g、テスト精度 %.2f%%",
	"step %d of %d, batch loss %.4f":                      "ステップ %d / %d、ミニバッチの損失 %.4f",
	"softmax loss":                                        "Softmax Loss",
	"center loss L_C (before the weight λ)":               "Center Loss L_C（重み λ を掛ける前）",
	"step %d: %d test features, accuracy %.2f%%":          "ステップ %d: テスト画像 %d 枚の特徴ベクトル、精度 %.2f%%",
	"step %d: test features (%s), accuracy %.2f%%":        "ステップ %d: テスト画像の特徴ベクトル（%s）、精度 %.2f%%",
	"%s loss": "%s Loss",
	"λ=%g, centers by gradient, center_lr=%g": "λ=%g、中心は勾配で更新、center_lr=%g",
	"α = %.2f, n = %d per batch: the center lags %.2f behind on average": "α = %.2f、ミニバッチあたり n = %d: " +
		"中心の遅れは平均 %.2f",
	"the class's mean in the batch":              "ミニバッチ内でのクラスの平均",
	"its center, moved by Eq. 4":                 "式4で動くクラスの中心",
	"a %d blended into a %d, %.0f %% of the way": "%d を %d に混ぜた画像（%.0f %%）",
	"the blend": "混ぜた画像",
	"%s, %d steps\naccuracy %.2f%%, distance to center %.2f": "%s、%d ステップ\n精度 %.2f%%、中心までの距離 %.2f",
	"%s (%s, %d steps): accuracy %.2f%%, mean distance to center %.2f": "%s（%s、%d ステップ）: 精度 %.2f%%、" +
		"中心までの平均距離 %.2f",
	"training %s (%s) for %d steps from step %d…\n": "%[1]s（%[2]s）をステップ %[4]d から %[3]d ステップ学習します…\n",

	// The rivals (package notebook).
	"%s (%s): %d steps\n":                                          "%s（%s）: %d ステップ\n",
	"step %s, accuracy %.1f%% (by %s)":                             "ステップ %s、精度 %.1f%%（%s で判定）",
	"step %s, accuracy %.1f%%":                                     "ステップ %s、精度 %.1f%%",
	"step %s (no classifier: its accuracy is measured at the end)": "ステップ %s（分類層がないので、精度は最後に測ります）",
	"%s, %d steps\naccuracy %.2f%% (%s), kNN %.2f%%":               "%s、%d ステップ\n精度 %.2f%%（%s）、kNN %.2f%%",
	", ratio %.3f": "、比 %.3f",
	"training loss (mean since the previous point)": "学習時の損失（前の点からの平均）",
	"loss":                    "損失",
	"test accuracy (softmax)": "テスト精度（softmax で判定）",
	"accuracy %":              "精度 %",
	"\naccuracy by softmax: the largest logit of the classifier layer; by nearest_center: the nearest class mean\n" +
		"of the training features (the metric losses train no classifier). kNN: the nearest training feature.": "\n" +
		"softmax で判定: 分類層のロジットが最大のクラス。nearest_center で判定: 訓練データの特徴ベクトルの\n" +
		"最近傍クラス平均（距離学習の損失は分類層を学習しません）。kNN: 最も近い訓練データの特徴ベクトル。",
	// The exercise checker (package lab/exercise): its verdicts, what differs, and the hints.
	"✓ %s matches %s on %d batches (value and gradient)":                    "✓ %s は %s と %d 個のミニバッチで一致しました（値と勾配）",
	"✓ %s matches %s on %d batches (the new center of every class, α = %s)": "✓ %s は %s と %d 個のミニバッチで一致しました（すべてのクラスの新しい中心、α = %s）",
	"✗ batch \"%s\": %s":                                                                              "✗ ミニバッチ「%s」: %s",
	"✗ batch \"%s\" (α = %g): %s":                                                                     "✗ ミニバッチ「%s」（α = %g）: %s",
	"✗ %s returns nil: write the loss where it says TODO":                                             "✗ %s が nil を返しています: TODO の箇所に損失を書いてください",
	"✗ %s returns nil: write the update where it says TODO":                                           "✗ %s が nil を返しています: TODO の箇所に中心の更新を書いてください",
	"%s panicked: %s":                                                                                 "%s が panic しました: %s",
	"GoMLX could not build or run the check: %s":                                                      "GoMLX がチェック用のグラフを作れないか、実行できませんでした: %s",
	"✗ no backend to run the check on: %s":                                                            "✗ チェックを実行するバックエンドがありません: %s",
	"%s returns shape %s: want a scalar (shape [])":                                                   "%s の返す形が %s です: スカラー（形 []）を返してください",
	"%s returns shape %s: want %s, the shape of the centers":                                          "%s の返す形が %s です: 中心と同じ形 %s を返してください",
	"%s returns %s values: want %s, the dtype of the features":                                        "%s が %s の値を返しています: 特徴ベクトルと同じ %s にしてください",
	"the loss is %s, the library's is %s":                                                             "損失が %s ですが、ライブラリの値は %s です",
	" (your value is 2× it: did you forget the ½?)":                                                   "（ちょうど 2 倍です: ½ を掛け忘れていませんか？）",
	" (your value is %d× it, the batch size: did you sum over the batch instead of averaging?)":       "（ちょうど %d 倍、バッチサイズ倍です: ミニバッチで平均せずに合計していませんか？）",
	" (your value is %d× it, twice the batch size: average over the batch, and halve)":                "（ちょうど %d 倍、バッチサイズの 2 倍です: ミニバッチで平均し、½ を掛けてください）",
	" (your value is 1/%d of it: sum the squares over the feature axis, average over the batch only)": "（ちょうど %d 分の 1 です: 二乗は特徴の軸で合計し、平均はミニバッチについてだけ取ってください）",
	"the gradient for sample %d is %s, the library's is %s":                                           "サンプル %d の勾配が %s ですが、ライブラリの値は %s です",
	" (your loss does not reach the features: are they behind a StopGradient?)":                       "（損失が特徴ベクトルまで届いていません: 特徴ベクトルを StopGradient の後ろに置いていませんか？）",
	"the gradient reaches the centers: for class %d it is %s, the library's is %s (put the centers behind graph.StopGradient: Eq. 4 moves them, not the optimizer)": "勾配が中心にまで届いています: クラス %d では %s、ライブラリでは %s です（中心は graph.StopGradient の後ろに置いてください: 中心を動かすのはオプティマイザではなく式4 です）",
	"the center of class %d (absent from the batch) moved from %s to %s; a class absent from the batch must stay put":                                               "ミニバッチにないクラス %d の中心が %s から %s に動いています: ミニバッチに現れないクラスの中心は動かしてはいけません",
	"class %d (%s): new center %s, the library's %s: off by %s":                                                                                                     "クラス %d（%s）: 新しい中心が %s、ライブラリでは %s で、%s ずれています",
	"%d samples": "サンプル %d 個",
	"1 sample":   "サンプル 1 個",
	" (NaN: 0/0 for a class with n_j = 0: Eq. 4 divides by 1 + n_j)":                                                            "（NaN です: n_j = 0 のクラスで 0/0 になっています。式4 の分母は 1 + n_j です）",
	" (you divided by n_j: Eq. 4 divides by 1 + n_j, so that a class seen once does not jump onto its sample)":                  "（n_j で割っています: 式4 は 1 + n_j で割ります。1 個しか現れないクラスの中心がそのサンプルに飛び移らないためです）",
	" (your centers move away from their samples: c_j ← c_j − α·Δc_j, with Δc_j = Σ (c_j − x_i)/(1 + n_j))":                     "（中心がサンプルから遠ざかっています: c_j ← c_j − α·Δc_j、Δc_j = Σ (c_j − x_i)/(1 + n_j) です）",
	" (your centers move towards the mean of the whole batch: Eq. 4 moves c_j towards the samples of class j only, i: y_i = j)": "（中心がミニバッチ全体の平均に向かっています: 式4 が c_j を近づけるのは、クラス j のサンプル（i: y_i = j）だけです）",
	"16 samples of 10 classes, labels repeated":                                                                                 "10 クラスから 16 サンプル、ラベルの重複あり",
	"class 4 absent from the batch": "クラス 4 がミニバッチにない",
	"one sample of class 3":         "クラス 3 のサンプルが 1 個だけ",
	"a batch of 1":                  "サンプル 1 個のミニバッチ",
	"all 8 samples of class 6":      "8 サンプルすべてがクラス 6",
	"32 samples of 10 classes":      "10 クラスから 32 サンプル",
	"features of dimension 3":       "3 次元の特徴ベクトル",
	// The training cell of lesson 3 (exercise.Run) and the timing of the two forms of Eq. 4 (notebook.TimeEq4AsClassesGrow).
	"panics (%s)":               "panic します（%s）",
	"returns nil":               "nil を返します",
	"returns shape %v, not %v":  "形 %v を返します（%v であるべきです）",
	"returns %s values, not %s": "%s の値を返します（%s であるべきです）",
	"✗ %s %s: the library's %s trains in its place": "✗ %s は %s: 代わりにライブラリの %s で学習します",
	"✗ the library's run failed: %s":                "✗ ライブラリ側の学習が失敗しました: %s",
	"✗ your run recorded %d steps, the library's took %d: call run.RecordLosses(loop), then loop.RunSteps(run.Batches(), run.Steps)":                                 "✗ あなたの学習で記録したのは %d ステップ、ライブラリ側は %d ステップでした: run.RecordLosses(loop) を呼んでから loop.RunSteps(run.Batches(), run.Steps) を実行してください",
	"the library's function trained in place of your %s (loss %.4f → %.4f in %d steps): write it above, run its cell, then this one again":                           "あなたの %s の代わりにライブラリの関数で学習しました（損失は %.4f → %.4f、%d ステップ）: 上の演習で関数を書いてそのセルを実行し、もう一度このセルを実行してください",
	"✗ step %d: your loss is %.6f, the library's %.6f (they part by %.2g)":                                                                                           "✗ ステップ %d: あなたの損失は %.6f、ライブラリ側は %.6f で、%.2g ずれています",
	"the library's functions trained in place of yours (loss %.4f → %.4f in %d steps, as the library's run): write them above, run their cells, then this one again": "あなたの関数の代わりにライブラリの関数で学習しました（損失は %.4f → %.4f、%d ステップ。ライブラリ側と同じです）: 上の演習で関数を書いてそのセルを実行し、もう一度このセルを実行してください",
	"✓ your center loss and Eq. 4 trained LeNet++ for %d steps: every step's loss is the library's run's to %g (largest difference %.1g; loss %.4f → %.4f)":          "✓ あなたの Center Loss と式4 で LeNet++ を %d ステップ学習しました: どのステップの損失もライブラリ側と %g 以内で一致しています（最大の差 %.1g、損失 %.4f → %.4f）",
	"L_C and Eq. 4 on a batch of %d features of dimension %d, median of %d calls side by side (%s):":                                                                 "L_C と式4、%[2]d 次元の特徴ベクトル %[1]d 個のミニバッチ、交互に %[3]d 回ずつ呼んだ中央値（%[4]s）:",
	"From K = %d to K = %d the one-hot form's time grew %.0f×, the gather/scatter form's %.1f×.":                                                                     "K = %d から K = %d までで、one-hot の時間は %.0f 倍、gather/scatter の時間は %.1f 倍になりました。",
	"centers":           "中心",
	"one-hot ms":        "one-hot ms",
	"gather/scatter ms": "gather/scatter ms",
	"ratio":             "比",
	"no solution named %q: the exercises are %s": "%q という解答はありません: 演習は %s です",
}
