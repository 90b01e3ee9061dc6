<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>CanvasActions</name>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Drag a rectangle to mask (right button: unmask)</source>
        <translation>ドラッグした矩形をマスクにします (右ボタン: マスク解除)</translation>
    </message>
    <message>
        <source>Load mask…</source>
        <translation>マスクを読み込む…</translation>
    </message>
    <message>
        <source>A black-and-white picture: white is repainted (or drop one on the picture)</source>
        <translation>白黒の画像で、白の部分が描き直されます (画像の上にドロップしても読み込めます)</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>マスクを反転</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>全体表示</translation>
    </message>
    <message>
        <source>Show the whole picture (Ctrl+0)</source>
        <translation>画像全体を表示 (Ctrl+0)</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>One picture pixel per screen pixel (Ctrl+1)</source>
        <translation>画像の 1 ピクセルを画面の 1 ピクセルで表示 (Ctrl+1)</translation>
    </message>
    <message>
        <source>Wheel or Ctrl+= / Ctrl+- zoom; space + drag or the middle button pans</source>
        <translation>ホイールか Ctrl+= / Ctrl+- で拡大縮小、スペース + ドラッグか中ボタンで移動</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>結果:</translation>
    </message>
    <message>
        <source>The result&apos;s opacity over the picture</source>
        <translation>画像に重ねた結果の不透明度</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>元の画像</translation>
    </message>
    <message>
        <source>Hide the result to compare with the picture</source>
        <translation>結果を隠して元の画像と比べる</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>採用</translation>
    </message>
    <message>
        <source>Make the result the picture to edit further</source>
        <translation>結果を次に編集する画像にする</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Drag out</source>
        <translation>ドラッグで書き出し</translation>
    </message>
    <message>
        <source>Drag the result (as shown) into a file manager: a PNG with its recipe</source>
        <translation>表示中の結果をファイルマネージャーへドラッグすると、レシピ付きの PNG になります</translation>
    </message>
    <message>
        <source>Open a picture first, then its mask.</source>
        <translation>先に画像を開いてから、そのマスクを開いてください。</translation>
    </message>
    <message>
        <source>Open a mask</source>
        <translation>マスクを開く</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</source>
        <translation>画像 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>CanvasBase</name>
    <message>
        <source>pasted image</source>
        <translation>貼り付けた画像</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>クリップボードに画像がありません。</translation>
    </message>
    <message>
        <source>The mask %1 is %2×%3 and the picture %4×%5: it was scaled to fit.</source>
        <translation>マスク %1 は %2×%3、画像は %4×%5 なので、画像に合わせて拡大縮小しました。</translation>
    </message>
    <message>
        <source>%1 is the mask now (hold Shift while dropping to edit it instead).</source>
        <translation>%1 をマスクにしました (編集する画像として開くには Shift を押しながらドロップします)。</translation>
    </message>
    <message>
        <source>The mask %1 is empty: nothing is marked, so the whole picture is redrawn (plain image to image).</source>
        <translation>マスク %1 は空です。何も指定されていないため、画像全体を描き直します (通常の img2img)。</translation>
    </message>
</context>
<context>
    <name>CanvasResults</name>
    <message>
        <source>There is no result to save yet.</source>
        <translation>保存する結果はまだありません。</translation>
    </message>
    <message>
        <source>Could not write the picture to drag out: %1</source>
        <translation>ドラッグで書き出す画像を書き込めませんでした: %1</translation>
    </message>
</context>
<context>
    <name>CanvasTools</name>
    <message>
        <source>Brush</source>
        <translation>ブラシ</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>消しゴム</translation>
    </message>
    <message>
        <source>Size </source>
        <translation>サイズ </translation>
    </message>
    <message>
        <source>Softness </source>
        <translation>ぼかし </translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>マスクを消去</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>画像を開く…</translation>
    </message>
</context>
<context>
    <name>DirectionSliders</name>
    <message>
        <source>Reset directions</source>
        <translation>方向をリセット</translation>
    </message>
    <message>
        <source>This model has no latent directions to slide along.</source>
        <translation>このモデルには動かせる潜在方向がありません。</translation>
    </message>
    <message>
        <source>{model} has no latent directions to slide along.</source>
        <translation>{model} には動かせる潜在方向がありません。</translation>
    </message>
    <message>
        <source>Latent directions (GANSpace): move the pad&apos;s image.</source>
        <translation>潜在方向 (GANSpace): パッドの画像を動かします。</translation>
    </message>
    <message>
        <source>{name}: σ is the spread of the model&apos;s pictures along it</source>
        <translation>{name}: σ はこの方向に沿ったモデルの画像のばらつきです</translation>
    </message>
    <message>
        <source>Component {n}</source>
        <translation>成分 {n}</translation>
    </message>
    <message>
        <source>{name}: {amount} σ</source>
        <translation>{name}: {amount} σ</translation>
    </message>
</context>
<context>
    <name>EditResultsStrip</name>
    <message>
        <source>Results of editing this picture: drag one out, or click it to edit it</source>
        <translation>この画像の編集結果: ドラッグで書き出し、クリックで続けて編集</translation>
    </message>
</context>
<context>
    <name>ExploreTabMixin</name>
    <message>
        <source>Interpolate the two selected results</source>
        <translation>選んだ 2 枚の間を補間</translation>
    </message>
    <message>
        <source>Select two results in the gallery (Ctrl+click).</source>
        <translation>ギャラリーで結果を 2 枚選んでください (Ctrl+クリック)。</translation>
    </message>
    <message>
        <source>Frames </source>
        <translation>フレーム数 </translation>
    </message>
    <message>
        <source>Export walk…</source>
        <translation>補間を書き出す…</translation>
    </message>
    <message>
        <source>Pad: corners from the selected results</source>
        <translation>パッド: 選んだ結果を四隅に</translation>
    </message>
    <message>
        <source>{name} was made by {other}; {model} can only explore its own results.</source>
        <translation>{name} は {other} で作られました。{model} で探索できるのは自分の結果だけです。</translation>
    </message>
    <message>
        <source>another model</source>
        <translation>別のモデル</translation>
    </message>
    <message>
        <source>Loading the model for exploring… try again in a moment.</source>
        <translation>探索用のモデルを読み込んでいます… 少し待ってからもう一度どうぞ。</translation>
    </message>
    <message>
        <source>Select exactly two results in the gallery (Ctrl+click) to interpolate.</source>
        <translation>補間するには、ギャラリーで結果をちょうど 2 枚選んでください (Ctrl+クリック)。</translation>
    </message>
    <message>
        <source>Interpolate two results first.</source>
        <translation>先に 2 枚の結果を補間してください。</translation>
    </message>
    <message>
        <source>Export the walk</source>
        <translation>補間を書き出す</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif);;MP4 video (*.mp4);;PNG strip (*.png)</source>
        <translation>GIF アニメ (*.gif);;MP4 動画 (*.mp4);;PNG 連続画像 (*.png)</translation>
    </message>
    <message>
        <source>Interpolate two results first, then export as .gif, .mp4 or .png.</source>
        <translation>先に 2 枚の結果を補間し、.gif・.mp4・.png で書き出してください。</translation>
    </message>
    <message>
        <source>frame {i} of {n}</source>
        <translation>フレーム {i}/{n}</translation>
    </message>
    <message>
        <source>Export walk to {name}</source>
        <translation>補間を {name} に書き出し</translation>
    </message>
    <message>
        <source>Exported the walk to {path}.</source>
        <translation>補間を {path} に書き出しました。</translation>
    </message>
</context>
<context>
    <name>ImageCanvas</name>
    <message>
        <source>Drop a picture here or paste one (Ctrl+V)
to edit it with img2img or inpainting</source>
        <translation>ここに画像をドロップするか貼り付けて (Ctrl+V)
img2img やインペイントで編集します</translation>
    </message>
    <message>
        <source>Only files on this computer can be dropped here.</source>
        <translation>ここにドロップできるのはこのコンピューター上のファイルだけです。</translation>
    </message>
    <message>
        <source>%1 files dropped: using the first.</source>
        <translation>%1 個のファイルがドロップされたので、最初のものを使います。</translation>
    </message>
</context>
<context>
    <name>ImageEditOptionsWidget</name>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Pixels of the photo around the painted part that the model sees, so what it draws fits in</source>
        <translation>塗った部分の周りでモデルに見せる写真の幅 (ピクセル)。描いたものが周りになじみます</translation>
    </message>
    <message>
        <source>How softly the redrawn part blends into the photo (0: a hard edge)</source>
        <translation>描き直した部分を写真になじませるぼかしの強さ (0: くっきりした境目)</translation>
    </message>
    <message>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <source>The result&apos;s size against the picture (1×: the picture&apos;s own size)</source>
        <translation>元の画像に対する結果の大きさ (1×: 元の大きさ)</translation>
    </message>
    <message>
        <source>Pixels added on the left</source>
        <translation>左に足すピクセル数</translation>
    </message>
    <message>
        <source>Pixels added at the top</source>
        <translation>上に足すピクセル数</translation>
    </message>
    <message>
        <source>Pixels added on the right</source>
        <translation>右に足すピクセル数</translation>
    </message>
    <message>
        <source>Pixels added at the bottom</source>
        <translation>下に足すピクセル数</translation>
    </message>
    <message>
        <source>Mask padding</source>
        <translation>マスクの余白</translation>
    </message>
    <message>
        <source>Mask feather</source>
        <translation>マスクのぼかし</translation>
    </message>
    <message>
        <source>Result scale</source>
        <translation>結果の倍率</translation>
    </message>
    <message>
        <source>Extend canvas:</source>
        <translation>キャンバス拡張:</translation>
    </message>
    <message>
        <source>Outpainting: grow the picture by these pixels on each side; the model draws the new strips and the photo is kept as it is</source>
        <translation>アウトペイント：画像の各辺をこのピクセル数だけ広げます。広げた部分はモデルが描き、写真はそのまま残ります</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>上</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>下</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>Images from text, latent sliders between results, and drag-and-drop editing with a painted mask.</source>
        <translation>テキストから画像を生成し、結果の間を潜在スライダーで行き来し、ドラッグ＆ドロップとマスク塗りで編集します。</translation>
    </message>
    <message>
        <source>Save kept pictures…</source>
        <translation>保持している画像を保存…</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>探索</translation>
    </message>
    <message>
        <source>Results appear here.</source>
        <translation>ここに結果が表示されます。</translation>
    </message>
    <message>
        <source>Send to canvas</source>
        <translation>キャンバスへ送る</translation>
    </message>
    <message>
        <source>Edit the selected result: img2img or inpainting</source>
        <translation>選んだ結果を編集します (img2img またはインペイント)</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>出力フォルダーを開く</translation>
    </message>
    <message>
        <source>Generate from this picture (img2img; inpaint the mask)</source>
        <translation>この画像から生成 (img2img、マスク部分はインペイント)</translation>
    </message>
    <message>
        <source>{name} (not installed)</source>
        <translation>{name} (未インストール)</translation>
    </message>
    <message>
        <source>engine not built yet</source>
        <translation>エンジン未実装</translation>
    </message>
    <message>
        <source>No image model is installed: see Tools → Models for how to get one.</source>
        <translation>画像モデルがインストールされていません。入手方法は「ツール → モデル」を参照してください。</translation>
    </message>
    <message>
        <source>Loading {model}…</source>
        <translation>{model} を読み込み中…</translation>
    </message>
    <message>
        <source>Load image model {model}</source>
        <translation>画像モデル {model} の読み込み</translation>
    </message>
    <message>
        <source>Choose an image model first (Tools → Models lists what is installed).</source>
        <translation>先に画像モデルを選んでください (インストール済みのものは「ツール → モデル」に一覧があります)。</translation>
    </message>
    <message>
        <source>A generation is running: Stop it (Esc) or wait for it.</source>
        <translation>生成の実行中です。停止する (Esc) か、終わるまでお待ちください。</translation>
    </message>
    <message>
        <source>Outpaint</source>
        <translation>アウトペイント</translation>
    </message>
    <message>
        <source>Inpaint</source>
        <translation>インペイント</translation>
    </message>
    <message>
        <source>Image to image</source>
        <translation>画像から画像</translation>
    </message>
    <message>
        <source>(no prompt)</source>
        <translation>(プロンプトなし)</translation>
    </message>
    <message>
        <source>{kind}: {prompt}</source>
        <translation>{kind}: {prompt}</translation>
    </message>
    <message>
        <source>Could not save to {folder}: {why} {count} picture(s) are kept: use Save kept pictures… to save them elsewhere.</source>
        <translation>{folder} に保存できませんでした: {why} {count} 枚の画像を保持しています。「保持している画像を保存…」で別の場所に保存してください。</translation>
    </message>
    <message>
        <source>Save the kept pictures in</source>
        <translation>保持している画像の保存先</translation>
    </message>
    <message>
        <source>Saved {count} picture(s) in {folder}.</source>
        <translation>{folder} に {count} 枚の画像を保存しました。</translation>
    </message>
    <message>
        <source>The generation failed.</source>
        <translation>生成に失敗しました。</translation>
    </message>
    <message numerus="yes">
        <source>Stopped: kept %n result(s) made before the stop.</source>
        <translation>
            <numerusform>停止しました。停止前にできた %n 枚の結果を残しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>The emoji model knows none of the words in “{prompt}”: it reads the emoji&apos;s Japanese names (赤いハート, にっこり笑う猫), colours and common words, or English.</source>
        <translation>絵文字モデルは「{prompt}」の語をどれも知りません。絵文字の日本語名 (赤いハート、にっこり笑う猫など)、色、よく使う語、または英語で書いてください。</translation>
    </message>
    <message>
        <source>Japanese prompt read as: {reading}.</source>
        <translation>日本語のプロンプトを「{reading}」と読みました。</translation>
    </message>
    <message>
        <source>Not known to the emoji model, left out: {words} (it knows the emoji&apos;s Japanese names, colours and common words).</source>
        <translation>絵文字モデルが知らない語は除きました: {words} (絵文字の日本語名、色、よく使う語がわかります)。</translation>
    </message>
    <message>
        <source>Loaded the settings stored in the picture: “{prompt}”.</source>
        <translation>画像に保存された設定を読み込みました:「{prompt}」。</translation>
    </message>
    <message>
        <source>Extend the canvas of {source} (outpaint)</source>
        <translation>{source} のキャンバスを広げる（アウトペイント）</translation>
    </message>
    <message>
        <source>Inpaint the masked area from {source}</source>
        <translation>{source} のマスク部分をインペイント</translation>
    </message>
    <message>
        <source>Image to image from {source}</source>
        <translation>{source} から画像を生成 (img2img)</translation>
    </message>
    <message>
        <source>Text to image</source>
        <translation>テキストから画像</translation>
    </message>
    <message>
        <source>Select a result in the gallery first.</source>
        <translation>先にギャラリーで結果を選んでください。</translation>
    </message>
    <message>
        <source>Save the flattened picture</source>
        <translation>統合した画像を保存</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>Could not save {path}: {why}</source>
        <translation>{path} を保存できませんでした: {why}</translation>
    </message>
    <message>
        <source>Saved the flattened picture as {path}.</source>
        <translation>統合した画像を {path} に保存しました。</translation>
    </message>
    <message>
        <source>Open a picture</source>
        <translation>画像を開く</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff)</source>
        <translation>画像 (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Restored the recipe of {name}.</source>
        <translation>{name} のレシピを復元しました。</translation>
    </message>
</context>
<context>
    <name>ImagePromptControls</name>
    <message>
        <source>Model&apos;s own</source>
        <translation>モデルの既定</translation>
    </message>
    <message>
        <source>Describe the image: “a red apple”, “a smiling cat face”…</source>
        <translation>描きたい画像を言葉で:「赤いリンゴ」「にっこり笑う猫」…</translation>
    </message>
    <message>
        <source>Negative prompt: what the image should not have</source>
        <translation>ネガティブプロンプト: 画像に入れたくないもの</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>How the noise is taken away step by step</source>
        <translation>ノイズを一歩ずつ取り除く方法</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>サンプラー</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>ガイダンス</translation>
    </message>
    <message>
        <source>How closely the picture follows the prompt (0: no guidance)</source>
        <translation>画像がプロンプトにどれだけ忠実に従うか (0: ガイダンスなし)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>枚数</translation>
    </message>
    <message>
        <source>Upscale</source>
        <translation>拡大</translation>
    </message>
    <message>
        <source>Enlarge the emoji models&apos; 64-pixel pictures with the learned 4x upscaler (off: plain Lanczos resampling)</source>
        <translation>絵文字モデルの 64 ピクセルの画像を学習済みの 4 倍アップスケーラーで拡大します (オフ: 通常の Lanczos 補間)</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>生成 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>The model {model} is not installed here.</source>
        <translation>モデル {model} はこのコンピューターにインストールされていません。</translation>
    </message>
    <message>
        <source>The picture was made with the sampler {sampler}, which this model does not have here: {used} is used instead.</source>
        <translation>この画像はサンプラー {sampler} で作られましたが、このモデルにはありません。代わりに {used} を使います。</translation>
    </message>
    <message>
        <source>The picture was made with the LoRA file(s) {names}, which this model does not take: they were left out.</source>
        <translation>この画像は LoRA ファイル {names} を使って作られましたが、このモデルは LoRA を使えないため外しました。</translation>
    </message>
    <message>
        <source>The picture was made with the LoRA file(s) {names}, which are not among your LoRA files: add them with Add… to remake it.</source>
        <translation>この画像は LoRA ファイル {names} を使って作られましたが、手元の LoRA ファイルにありません。作り直すには「追加…」で加えてください。</translation>
    </message>
</context>
<context>
    <name>ImageState</name>
    <message>
        <source>Choose an image model first (Tools → Models lists what is installed).</source>
        <translation>先に画像モデルを選んでください (インストール済みのものは「ツール → モデル」に一覧があります)。</translation>
    </message>
</context>
<context>
    <name>LayersList</name>
    <message>
        <source>Layers</source>
        <translation>レイヤー</translation>
    </message>
    <message>
        <source>Tick to show a layer, untick to hide it; double-click to rename it</source>
        <translation>チェックでレイヤーを表示、外すと非表示。ダブルクリックで名前を変更</translation>
    </message>
    <message>
        <source>The selected layer&apos;s opacity over the layers below</source>
        <translation>選んだレイヤーの、下のレイヤーに対する不透明度</translation>
    </message>
    <message>
        <source>Opacity %1%</source>
        <translation>不透明度 %1%</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <source>Move the layer up</source>
        <translation>レイヤーを上へ移動</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <source>Move the layer down</source>
        <translation>レイヤーを下へ移動</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Delete the layer</source>
        <translation>レイヤーを削除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Undo the last layer edit</source>
        <translation>直前のレイヤー操作を元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Redo the layer edit</source>
        <translation>レイヤー操作をやり直す</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save the flattened picture as a PNG with its recipe</source>
        <translation>統合した画像をレシピ付きの PNG として保存</translation>
    </message>
    <message>
        <source>Drag out</source>
        <translation>ドラッグで書き出し</translation>
    </message>
    <message>
        <source>Drag the flattened picture into a file manager: a PNG with its recipe</source>
        <translation>統合した画像をファイルマネージャーへドラッグすると、レシピ付きの PNG になります</translation>
    </message>
    <message>
        <source>%1% opacity</source>
        <translation>不透明度 %1%</translation>
    </message>
    <message>
        <source>%1 (photo)</source>
        <translation>%1（写真）</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>The opened picture: always shown, never changed</source>
        <translation>開いた画像: 常に表示され、変更されることはありません</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
</context>
<context>
    <name>LoraControl</name>
    <message>
        <source>LoRA files applied to the model; select one to change its weight</source>
        <translation>モデルに適用する LoRA ファイル。選ぶと重みを変えられます</translation>
    </message>
    <message>
        <source>Weight of the selected LoRA (0 = off, 1 = as trained)</source>
        <translation>選んだ LoRA の重み (0 = オフ、1 = 学習どおり)</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>追加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>LoRA file</source>
        <translation>LoRA ファイル</translation>
    </message>
    <message>
        <source>LoRA (*.safetensors)</source>
        <translation>LoRA (*.safetensors)</translation>
    </message>
</context>
<context>
    <name>SeedControl</name>
    <message>
        <source>Lock</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Keep this seed for the next generations</source>
        <translation>次の生成でもこのシードを使います</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <source>Draw a new random seed</source>
        <translation>新しいシードをランダムに選びます</translation>
    </message>
</context>
</TS>
