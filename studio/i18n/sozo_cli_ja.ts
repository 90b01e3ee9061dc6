<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>Argparse</name>
    <message>
        <source>usage: </source>
        <translation>使い方: </translation>
    </message>
    <message>
        <source>options</source>
        <translation>オプション</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置引数</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>このヘルプを表示して終了します</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>プログラムのバージョンを表示して終了します</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: エラー: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>引数 %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>次の引数が必要です: %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>認識できない引数です: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>選べない値です: %(value)r（%(choices)s から選んでください）</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>%(type)s として正しくない値です: %(value)r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>引数が 1 つ必要です</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>引数は 1 つまでです</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>引数が少なくとも 1 つ必要です</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>引数が %s 個必要です</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>引数が %s 個必要です</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>あいまいなオプションです: %(option)s は %(matches)s のどれにも当てはまります</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>引数 %s と一緒には使えません</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>引数 %s のどれか 1 つが必要です</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>明示された引数 %r は無視されました</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>「%(filename)s」を開けません: %(error)s</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>(see {prog} --help)</source>
        <translation>（{prog} --help を参照）</translation>
    </message>
    <message>
        <source>sozo: note: {notice}</source>
        <translation>sozo: 注意: {notice}</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>中止しました</translation>
    </message>
    <message>
        <source>--lora needs a file name</source>
        <translation>--lora にはファイル名が必要です</translation>
    </message>
    <message>
        <source>--outpaint takes four whole numbers of pixels, left,top,right,bottom (e.g. 0,0,128,0), not {text}</source>
        <translation>--outpaint には左,上,右,下のピクセル数を四つの整数で指定してください（例: 0,0,128,0）。{text} は使えません</translation>
    </message>
    <message>
        <source>{flags} needs --init (the picture to edit)</source>
        <translation>{flags} には --init（編集する画像）が必要です</translation>
    </message>
    <message>
        <source>{flags} need --init (the picture to edit)</source>
        <translation>{flags} には --init（編集する画像）が必要です</translation>
    </message>
    <message>
        <source>{flag} needs --mask (the part to redraw)</source>
        <translation>{flag} には --mask（描き直す部分）が必要です</translation>
    </message>
    <message>
        <source>The output is a PNG: give a file name ending in .png, not {out}</source>
        <translation>出力は PNG です。.png で終わるファイル名を指定してください（{out} ではなく）</translation>
    </message>
    <message>
        <source>--strength needs --init (the picture to start from)</source>
        <translation>--strength には --init（元にする画像）が必要です</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>the picture could not be made</source>
        <translation>画像を作れませんでした</translation>
    </message>
    <message>
        <source>note: {notice}</source>
        <translation>注意: {notice}</translation>
    </message>
    <message>
        <source>{out} (seed {seed})</source>
        <translation>{out}（シード {seed}）</translation>
    </message>
    <message>
        <source>--tempo must be between 20 and 300 BPM, not {tempo}</source>
        <translation>--tempo は 20 から 300 BPM の間で指定してください（{tempo} ではなく）</translation>
    </message>
    <message>
        <source>--temperature must be between 0 and 3, not {value}</source>
        <translation>--temperature は 0 から 3 の間で指定してください（{value} ではなく）</translation>
    </message>
    <message>
        <source>-o must end in .wav, .flac, .ogg or .mp3, not {name}</source>
        <translation>-o は .wav、.flac、.ogg、.mp3 のいずれかで終わる名前にしてください（{name} ではなく）</translation>
    </message>
    <message>
        <source>--midi must end in .mid, not {name}</source>
        <translation>--midi は .mid で終わる名前にしてください（{name} ではなく）</translation>
    </message>
    <message>
        <source>-o and --midi name the same file: give two names</source>
        <translation>-o と --midi が同じファイルを指しています。別々の名前を指定してください</translation>
    </message>
    <message>
        <source>use --continue or --interpolate, not both</source>
        <translation>--continue と --interpolate は、どちらか一方だけを使ってください</translation>
    </message>
    <message>
        <source>Continuing {summary}.</source>
        <translation>{summary} の続きを作ります。</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>音楽</translation>
    </message>
    <message>
        <source>the melody could not be made</source>
        <translation>メロディーを作れませんでした</translation>
    </message>
    <message>
        <source>give the text either as an argument or with --file, not both</source>
        <translation>テキストは引数か --file のどちらか一方で指定してください</translation>
    </message>
    <message>
        <source>the text file {file} does not exist</source>
        <translation>テキストファイル {file} がありません</translation>
    </message>
    <message>
        <source>cannot read {file} as UTF-8 text: {reason}</source>
        <translation>{file} を UTF-8 のテキストとして読めません: {reason}</translation>
    </message>
    <message>
        <source>give the text to speak, e.g. sozo speech &quot;Hello.&quot; -o hello.wav</source>
        <translation>話すテキストを指定してください。例: sozo speech &quot;こんにちは。&quot; -o hello.wav</translation>
    </message>
    <message>
        <source>  (missing: {why})</source>
        <translation>  （未導入: {why}）</translation>
    </message>
    <message>
        <source>give the output file with -o, e.g. -o speech.wav</source>
        <translation>出力ファイルを -o で指定してください。例: -o speech.wav</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>the voice cannot read this text.</source>
        <translation>この声ではこのテキストを読めません。</translation>
    </message>
    <message>
        <source>nothing could be spoken. {why}</source>
        <translation>何も話せませんでした。{why}</translation>
    </message>
    <message>
        <source>sozo: cancelled; kept {seconds} s of audio in {path}</source>
        <translation>sozo: 中止しました。{seconds} 秒の音声を {path} に残しました</translation>
    </message>
    <message>
        <source>sozo: cancelled; nothing was written</source>
        <translation>sozo: 中止しました。何も書き込んでいません</translation>
    </message>
    <message>
        <source>sozo: kept {seconds} s of audio in {path}</source>
        <translation>sozo: {seconds} 秒の音声を {path} に残しました</translation>
    </message>
    <message>
        <source>speech failed</source>
        <translation>音声を作れませんでした</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>{path}  {seconds} s of audio, {voice}, made in {elapsed} s on {on}</source>
        <translation>{path}  音声 {seconds} 秒、{voice}、{on} で {elapsed} 秒かけて作成</translation>
    </message>
    <message>
        <source>--steer takes NAME=STRENGTH (e.g. formal=0.8), not {item}</source>
        <translation>--steer には 名前=強さ（例: formal=0.8）を指定してください（{item} ではなく）</translation>
    </message>
    <message>
        <source>Steering vectors and their strengths on {model}:</source>
        <translation>{model} でのステアリングベクトルと強さ:</translation>
    </message>
    <message>
        <source> (yours)</source>
        <translation>（あなたのもの）</translation>
    </message>
    <message>
        <source>Give the message to send (or - to read it from stdin).</source>
        <translation>送るメッセージを指定してください（- で標準入力から読みます）。</translation>
    </message>
    <message>
        <source>The prompt is empty: give the message to send.</source>
        <translation>プロンプトが空です。送るメッセージを指定してください。</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>モデルを読み込んでいます…</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>the reply failed</source>
        <translation>返信を作れませんでした</translation>
    </message>
    <message>
        <source>[{tokens} tokens, {speed} tokens/s, seed {seed}]</source>
        <translation>[{tokens} トークン、{speed} トークン/秒、シード {seed}]</translation>
    </message>
    <message>
        <source>available</source>
        <translation>利用可能</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>未導入</translation>
    </message>
    <message>
        <source> (engine not built yet)</source>
        <translation>（エンジン未実装）</translation>
    </message>
    <message>
        <source>--size must look like 1280x800, not {text}</source>
        <translation>--size は 1280x800 の形で指定してください（{text} ではなく）</translation>
    </message>
    <message>
        <source>--size {text} is out of range (320x240 to 7680x4320)</source>
        <translation>--size {text} は範囲外です（320x240 から 7680x4320 まで）</translation>
    </message>
    <message>
        <source>the screenshot is a PNG: give a file name ending in .png, not {out}</source>
        <translation>スクリーンショットは PNG です: .png で終わるファイル名を指定してください（{out} ではなく）</translation>
    </message>
    <message>
        <source>could not encode the screenshot for {out}</source>
        <translation>{out} 用のスクリーンショットをエンコードできませんでした</translation>
    </message>
    <message>
        <source>--workers is for Ray: add --ray local or --ray ADDRESS</source>
        <translation>--workers は Ray 用です: --ray local か --ray ADDRESS を付けてください</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>バッチ</translation>
    </message>
    <message>
        <source>cancelled; run the same command again to go on</source>
        <translation>取り消しました。同じコマンドをもう一度実行すると続きから進みます</translation>
    </message>
    <message>
        <source>the batch failed</source>
        <translation>バッチが失敗しました</translation>
    </message>
    <message>
        <source>{option} wants a day as YYYY-MM-DD, not {text}.</source>
        <translation>{option} には日付を YYYY-MM-DD の形で指定してください（{text} ではなく）。</translation>
    </message>
    <message>
        <source>--limit must be at least 1.</source>
        <translation>--limit は 1 以上にしてください。</translation>
    </message>
    <message>
        <source>  (file missing)</source>
        <translation>  （ファイルがありません）</translation>
    </message>
    <message>
        <source>Nothing in the history matches.</source>
        <translation>履歴に一致するものはありません。</translation>
    </message>
    <message>
        <source>A history id is a number, not {id}.</source>
        <translation>履歴の ID は数です（{id} ではなく）。</translation>
    </message>
    <message>
        <source>id:</source>
        <translation>ID:</translation>
    </message>
    <message>
        <source>kind:</source>
        <translation>種類:</translation>
    </message>
    <message>
        <source>made:</source>
        <translation>作成:</translation>
    </message>
    <message>
        <source>model:</source>
        <translation>モデル:</translation>
    </message>
    <message>
        <source>seed:</source>
        <translation>シード:</translation>
    </message>
    <message>
        <source>device:</source>
        <translation>デバイス:</translation>
    </message>
    <message>
        <source>duration:</source>
        <translation>所要時間:</translation>
    </message>
    <message>
        <source>{file}  (missing)</source>
        <translation>{file}  （ありません）</translation>
    </message>
    <message>
        <source>file:</source>
        <translation>ファイル:</translation>
    </message>
    <message>
        <source>prompt:</source>
        <translation>プロンプト:</translation>
    </message>
    <message>
        <source>text:</source>
        <translation>テキスト:</translation>
    </message>
    <message>
        <source>recipe:</source>
        <translation>レシピ:</translation>
    </message>
    <message>
        <source>No Piper voice matches {query}.</source>
        <translation>{query} に一致する Piper 音声はありません。</translation>
    </message>
    <message>
        <source>  (gated)</source>
        <translation>  （利用制限付き）</translation>
    </message>
    <message>
        <source>{count} downloads</source>
        <translation>{count} ダウンロード</translation>
    </message>
    <message>
        <source>Nothing on the hub matches {query}.</source>
        <translation>ハブに {query} に一致するものはありません。</translation>
    </message>
    <message>
        <source> (gated: accept its terms on the hub)</source>
        <translation>（利用制限付き: ハブで条件に同意してください）</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>記載なし</translation>
    </message>
    <message>
        <source>{repo}  licence: {licence}{gated}</source>
        <translation>{repo}  ライセンス: {licence}{gated}</translation>
    </message>
    <message>
        <source>in all</source>
        <translation>合計</translation>
    </message>
    <message>
        <source>{repo}: {count} file(s), {size}, licence: {licence}</source>
        <translation>{repo}: ファイル {count} 個、{size}、ライセンス: {licence}</translation>
    </message>
    <message>
        <source>{repo} is under {licence}: read it on the hub, then run again with --accept-licence.</source>
        <translation>{repo} のライセンスは {licence} です: ハブで読んでから、--accept-licence を付けてもう一度実行してください。</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>sozo: cancelled; run the same command again to resume.</source>
        <translation>sozo: 取り消しました。同じコマンドをもう一度実行すると再開します。</translation>
    </message>
    <message>
        <source>the download failed</source>
        <translation>ダウンロードが失敗しました</translation>
    </message>
    <message>
        <source>deleted {path}</source>
        <translation>{path} を削除しました</translation>
    </message>
    <message>
        <source>removed {model}</source>
        <translation>{model} を外しました</translation>
    </message>
    <message>
        <source>Nothing was downloaded by the model manager yet.</source>
        <translation>モデルマネージャーでダウンロードしたものはまだありません。</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>BAD</source>
        <translation>異常</translation>
    </message>
    <message>
        <source>{bad} of {count} downloaded file(s) failed the check.</source>
        <translation>ダウンロードしたファイル {count} 個のうち {bad} 個が検査に通りませんでした。</translation>
    </message>
    <message>
        <source>sozo: skipped {line}</source>
        <translation>sozo: 飛ばしました: {line}</translation>
    </message>
    <message>
        <source>{added} model(s) added from {folder}, {already} listed already, {skipped} skipped.</source>
        <translation>{folder} からモデルを {added} 個追加しました。登録済み {already} 個、飛ばしたもの {skipped} 個。</translation>
    </message>
    <message>
        <source>{path} is a folder: give a file.</source>
        <translation>{path} はフォルダーです: ファイルを指定してください。</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} は存在しません。</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}.</source>
        <translation>{path} を読めません: {reason}。</translation>
    </message>
    <message>
        <source>Recipe: none</source>
        <translation>レシピ: なし</translation>
    </message>
    <message>
        <source>Recipe: picture, seed {seed}, prompt {prompt}</source>
        <translation>レシピ: 画像、シード {seed}、プロンプト {prompt}</translation>
    </message>
    <message>
        <source>Recipe: melody, seed {seed}, {instrument} at {tempo} BPM</source>
        <translation>レシピ: メロディー、シード {seed}、{instrument}、{tempo} BPM</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>Recipe: speech, voice {voice}, {count} characters</source>
        <translation>レシピ: 音声、声 {voice}、{count} 文字</translation>
    </message>
    <message>
        <source>Content credentials: not checked (not a picture, sound or video file)</source>
        <translation>コンテンツ認証情報: 未確認（画像・音声・動画のファイルではありません）</translation>
    </message>
    <message>
        <source>Content credentials: {said}</source>
        <translation>コンテンツ認証情報: {said}</translation>
    </message>
    <message>
        <source>Watermark: not checked (MIDI files carry none)</source>
        <translation>透かし: 未確認（MIDI ファイルには入りません）</translation>
    </message>
    <message>
        <source>{name} cannot be read as audio: {reason}</source>
        <translation>{name} を音声として読めません: {reason}</translation>
    </message>
    <message>
        <source>Sōzō Studio speech watermark found</source>
        <translation>Sōzō Studio の音声透かしがあります</translation>
    </message>
    <message>
        <source>no Sōzō Studio watermark found</source>
        <translation>Sōzō Studio の透かしはありません</translation>
    </message>
    <message>
        <source>Watermark: {said} (correlation z {z})</source>
        <translation>透かし: {said}（相関 z {z}）</translation>
    </message>
    <message>
        <source>{name} cannot be read as a picture: {reason}</source>
        <translation>{name} を画像として読めません: {reason}</translation>
    </message>
    <message>
        <source>Watermark: {said}</source>
        <translation>透かし: {said}</translation>
    </message>
    <message>
        <source>{name} is empty.</source>
        <translation>{name} は空です。</translation>
    </message>
    <message>
        <source>Serving the OpenAI API at {address} (Ctrl+C stops)</source>
        <translation>OpenAI 互換 API を {address} で提供しています（Ctrl+C で停止）</translation>
    </message>
    <message>
        <source>Serving the OpenAI API at {address}; clients must send the API key (Ctrl+C stops)</source>
        <translation>OpenAI 互換 API を {address} で提供しています。クライアントは API キーを送る必要があります（Ctrl+C で停止）</translation>
    </message>
    <message>
        <source>[refused] {method} {path}: {status} {message}</source>
        <translation>[拒否] {method} {path}: {status} {message}</translation>
    </message>
    <message>
        <source>[{job}] {title} {state} in {seconds} s</source>
        <translation>[{job}] {title}: {seconds} 秒で{state}</translation>
    </message>
    <message>
        <source>[{job}] {title} failed in {seconds} s: {error}</source>
        <translation>[{job}] {title}: {seconds} 秒で失敗しました: {error}</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完了しました</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>停止しました。</translation>
    </message>
</context>
<context>
    <name>CliHelp</name>
    <message>
        <source>Sōzō Studio: local generative AI. With no command, opens the studio.</source>
        <translation>Sōzō Studio: ローカルで動く生成 AI。コマンドを付けなければスタジオを開きます。</translation>
    </message>
    <message>
        <source>compute device for this run (default: the studio&apos;s setting, else auto)</source>
        <translation>この実行で使う計算デバイス（既定: スタジオの設定、なければ auto）</translation>
    </message>
    <message>
        <source>CPU threads for engines (0: automatic)</source>
        <translation>エンジンが使う CPU スレッド数（0: 自動）</translation>
    </message>
    <message>
        <source>list the model catalogue</source>
        <translation>モデルの一覧を表示します</translation>
    </message>
    <message>
        <source>show the compute device engines would use</source>
        <translation>エンジンが使う計算デバイスを表示します</translation>
    </message>
    <message>
        <source>render the main window offscreen to a PNG (needs no display)</source>
        <translation>メインウィンドウを画面外で描画して PNG にします（ディスプレイ不要）</translation>
    </message>
    <message>
        <source>make a picture from a prompt</source>
        <translation>プロンプトから画像を作ります</translation>
    </message>
    <message>
        <source>read text aloud into an audio file</source>
        <translation>テキストを読み上げて音声ファイルにします</translation>
    </message>
    <message>
        <source>make a melody (sample, continue a MIDI file, or morph one into another)</source>
        <translation>メロディーを作ります（サンプル、MIDI ファイルの続き、別のメロディーへの変形）</translation>
    </message>
    <message>
        <source>ask a local language model; the reply streams to stdout</source>
        <translation>ローカルの言語モデルに尋ねます。返答は標準出力に順に流れます</translation>
    </message>
    <message>
        <source>serve the local models as an OpenAI-compatible API</source>
        <translation>ローカルのモデルを OpenAI 互換 API として提供します</translation>
    </message>
    <message>
        <source>search what the studio made</source>
        <translation>スタジオで作ったものを検索します</translation>
    </message>
    <message>
        <source>run many jobs from a batch file, here or on Ray</source>
        <translation>バッチファイルの多数のジョブを、このマシンか Ray で実行します</translation>
    </message>
    <message>
        <source>add a model or voice file you have to the catalogue</source>
        <translation>手元のモデルや音声ファイルを一覧に追加します</translation>
    </message>
    <message>
        <source>report a file&apos;s recipe, content credentials and watermark</source>
        <translation>ファイルのレシピ、コンテンツ認証情報、透かしを報告します</translation>
    </message>
    <message>
        <source>only models for this task</source>
        <translation>この用途のモデルだけ</translation>
    </message>
    <message>
        <source>machine-readable output</source>
        <translation>機械で読める形式で出力</translation>
    </message>
    <message>
        <source>search the hub for models or Piper voices</source>
        <translation>ハブでモデルや Piper 音声を検索します</translation>
    </message>
    <message>
        <source>a repository&apos;s licence, files and quantisations</source>
        <translation>リポジトリのライセンス、ファイル、量子化の種類</translation>
    </message>
    <message>
        <source>download a model and add it to its panel</source>
        <translation>モデルをダウンロードしてそのパネルに追加します</translation>
    </message>
    <message>
        <source>delete a downloaded model and its entry</source>
        <translation>ダウンロードしたモデルとその項目を削除します</translation>
    </message>
    <message>
        <source>re-hash downloaded files against the hub&apos;s</source>
        <translation>ダウンロードしたファイルのハッシュをハブのものと照合し直します</translation>
    </message>
    <message>
        <source>use the models of a folder in place (ComfyUI, A1111, LM Studio)</source>
        <translation>フォルダー内のモデルをその場所のまま使います（ComfyUI、A1111、LM Studio）</translation>
    </message>
    <message>
        <source>words to look for (a name, a language for voices)</source>
        <translation>探す語（名前、音声なら言語）</translation>
    </message>
    <message>
        <source>GGUF text models (default), Hugging Face text folders, Stable Diffusion, or Piper voices</source>
        <translation>GGUF のテキストモデル（既定）、Hugging Face のテキストフォルダー、Stable Diffusion、Piper 音声のいずれか</translation>
    </message>
    <message>
        <source>at most this many results</source>
        <translation>結果の最大件数</translation>
    </message>
    <message>
        <source>owner/name on the hub</source>
        <translation>ハブでの owner/name</translation>
    </message>
    <message>
        <source>owner/name on the hub (rhasspy/piper-voices for voices)</source>
        <translation>ハブでの owner/name（音声は rhasspy/piper-voices）</translation>
    </message>
    <message>
        <source>the GGUF quantisation to fetch (Q4_K_M, Q8_0...)</source>
        <translation>取得する GGUF の量子化（Q4_K_M、Q8_0 など）</translation>
    </message>
    <message>
        <source>one file of the repository (a checkpoint)</source>
        <translation>リポジトリ内の一つのファイル（チェックポイント）</translation>
    </message>
    <message>
        <source>a Piper voice key (en_US-lessac-medium)</source>
        <translation>Piper 音声のキー（en_US-lessac-medium）</translation>
    </message>
    <message>
        <source>accept the repository&apos;s licence (asked once per repository)</source>
        <translation>リポジトリのライセンスに同意します（リポジトリごとに一度だけ確認）</translation>
    </message>
    <message>
        <source>the id `sozo models` lists</source>
        <translation>`sozo models` が表示する ID</translation>
    </message>
    <message>
        <source>one model (default: all downloads)</source>
        <translation>一つのモデル（既定: ダウンロードしたものすべて）</translation>
    </message>
    <message>
        <source>the folder to scan</source>
        <translation>調べるフォルダー</translation>
    </message>
    <message>
        <source>An existing output file is refused (and kept as it is) unless --overwrite is given; with --overwrite the old file stays intact until the new one is complete. A missing folder is not created.</source>
        <translation>既にある出力ファイルは、--overwrite がなければ拒否します（ファイルはそのまま残ります）。--overwrite があれば、新しいファイルが完成するまで古いファイルはそのままです。存在しないフォルダーは作りません。</translation>
    </message>
    <message>
        <source>the PNG file to write</source>
        <translation>書き出す PNG ファイル</translation>
    </message>
    <message>
        <source>window size as WIDTHxHEIGHT</source>
        <translation>ウィンドウの大きさ（WIDTHxHEIGHT の形）</translation>
    </message>
    <message>
        <source>replace an existing output file (the old one stays until the new one is whole)</source>
        <translation>既にある出力ファイルを置き換えます（新しいファイルが完成するまで古いものは残ります）</translation>
    </message>
    <message>
        <source>Make a picture with an image model and write it as a PNG whose &apos;parameters&apos; text chunk records the prompt, model, seed and settings.</source>
        <translation>画像モデルで画像を作り、PNG として書き出します。PNG の「parameters」テキストチャンクにプロンプト、モデル、シード、設定を記録します。</translation>
    </message>
    <message>
        <source>what to draw, e.g. &quot;red heart&quot; (may be empty: &quot;&quot;)</source>
        <translation>描くもの（例: &quot;red heart&quot;、空でも可: &quot;&quot;）</translation>
    </message>
    <message>
        <source>model id (default: emoji-ldm)</source>
        <translation>モデル ID（既定: emoji-ldm）</translation>
    </message>
    <message>
        <source>same seed, same picture</source>
        <translation>同じシードなら同じ画像</translation>
    </message>
    <message>
        <source>sampler steps (default 25)</source>
        <translation>サンプラーのステップ数（既定 25）</translation>
    </message>
    <message>
        <source>prompt guidance (default 3)</source>
        <translation>プロンプトのガイダンス（既定 3）</translation>
    </message>
    <message>
        <source>emoji models: ddim or dpm++2m; Stable Diffusion models: any of these</source>
        <translation>絵文字モデル: ddim か dpm++2m、Stable Diffusion のモデル: このいずれか</translation>
    </message>
    <message>
        <source>output side in pixels (default 256)</source>
        <translation>出力の一辺のピクセル数（既定 256）</translation>
    </message>
    <message>
        <source>enlarge emoji models&apos; 64-pixel pictures with Lanczos, not the learned upscaler</source>
        <translation>絵文字モデルの 64 ピクセルの画像を、学習済みの拡大モデルではなく Lanczos で拡大します</translation>
    </message>
    <message>
        <source>start from this picture</source>
        <translation>この画像から始めます</translation>
    </message>
    <message>
        <source>how far from --init (0-1)</source>
        <translation>--init からどれだけ離れるか（0〜1）</translation>
    </message>
    <message>
        <source>white = redraw (needs --init)</source>
        <translation>白 = 描き直す部分（--init が必要）</translation>
    </message>
    <message>
        <source>pixels of context around the mask&apos;s bounding box (default 32)</source>
        <translation>マスクの外接矩形の周りに含める周辺のピクセル数（既定 32）</translation>
    </message>
    <message>
        <source>blur radius of the mask&apos;s edge where the redrawn part meets the photo (default 8)</source>
        <translation>描き直した部分と写真の境目でマスクの縁をぼかす半径（既定 8）</translation>
    </message>
    <message>
        <source>the result&apos;s size against the --init picture (default 1: its own size)</source>
        <translation>--init の画像に対する結果の大きさ（既定 1: 元の大きさ）</translation>
    </message>
    <message>
        <source>extend the --init picture by these pixels left, top, right, bottom</source>
        <translation>--init の画像を左・上・右・下にこのピクセル数だけ広げます</translation>
    </message>
    <message>
        <source>a LoRA .safetensors for Stable Diffusion models, weight 1 unless given; repeatable</source>
        <translation>Stable Diffusion のモデル用の LoRA .safetensors（重みは指定がなければ 1、繰り返し指定可）</translation>
    </message>
    <message>
        <source>Read text aloud into WAV, FLAC, OGG or MP3 (from the extension). Markup: [pause 500ms], &lt;break time=&quot;1s&quot;/&gt;, [voice kokoro:jf_alpha].</source>
        <translation>テキストを読み上げて WAV・FLAC・OGG・MP3（拡張子で決まります）にします。マークアップ: [pause 500ms]、&lt;break time=&quot;1s&quot;/&gt;、[voice kokoro:jf_alpha]。</translation>
    </message>
    <message>
        <source>the text; &apos;-&apos; or --file reads it from elsewhere</source>
        <translation>読み上げるテキスト（&apos;-&apos; か --file で別の場所から読みます）</translation>
    </message>
    <message>
        <source>the audio file to write</source>
        <translation>書き出す音声ファイル</translation>
    </message>
    <message>
        <source>read the text from this UTF-8 file</source>
        <translation>この UTF-8 ファイルからテキストを読みます</translation>
    </message>
    <message>
        <source>voice id, e.g. piper:en_US-joe-medium or kokoro:jf_alpha</source>
        <translation>音声 ID（例: piper:en_US-joe-medium、kokoro:jf_alpha）</translation>
    </message>
    <message>
        <source>Kokoro voice blend, e.g. jf_alpha:0.7,jm_kumo:0.3</source>
        <translation>Kokoro の声の混合（例: jf_alpha:0.7,jm_kumo:0.3）</translation>
    </message>
    <message>
        <source>1.0 is the voice&apos;s pace; 2.0 twice as fast</source>
        <translation>1.0 が声の本来の速さ、2.0 で 2 倍の速さ</translation>
    </message>
    <message>
        <source>VITS expressiveness (Piper voices)</source>
        <translation>VITS の表現の豊かさ（Piper 音声）</translation>
    </message>
    <message>
        <source>VITS rhythm variation (Piper voices)</source>
        <translation>VITS のリズムの揺らぎ（Piper 音声）</translation>
    </message>
    <message>
        <source>list the voices and exit</source>
        <translation>音声の一覧を表示して終了します</translation>
    </message>
    <message>
        <source>Sample a melody with the melody VAE and Transformer, continue a MIDI file, or morph one MIDI melody into another; write audio (.wav .flac .ogg .mp3) and optionally MIDI.</source>
        <translation>メロディー VAE と Transformer でメロディーをサンプルし、MIDI ファイルの続きを作り、または MIDI のメロディーを別のメロディーへ変形します。音声（.wav .flac .ogg .mp3）と、指定があれば MIDI を書き出します。</translation>
    </message>
    <message>
        <source>audio file to write</source>
        <translation>書き出す音声ファイル</translation>
    </message>
    <message>
        <source>also write the notes as a MIDI file</source>
        <translation>音符を MIDI ファイルにも書き出します</translation>
    </message>
    <message>
        <source>bars to make or to add (default 8)</source>
        <translation>作る、または足す小節数（既定 8）</translation>
    </message>
    <message>
        <source>0 is greedy (default 0.9)</source>
        <translation>0 で最も確からしい音を選びます（既定 0.9）</translation>
    </message>
    <message>
        <source>one of: piano, electric piano, harpsichord, music box, vibraphone, organ, accordion, nylon guitar, steel guitar, violin, cello, strings, trumpet, clarinet, flute, pan flute, whistle, bagpipe, fiddle</source>
        <translation>次のいずれか（英語名で指定）: piano（ピアノ）、electric piano（エレクトリックピアノ）、harpsichord（チェンバロ）、music box（オルゴール）、vibraphone（ビブラフォン）、organ（オルガン）、accordion（アコーディオン）、nylon guitar（ナイロン弦ギター）、steel guitar（スチール弦ギター）、violin（バイオリン）、cello（チェロ）、strings（弦楽合奏）、trumpet（トランペット）、clarinet（クラリネット）、flute（フルート）、pan flute（パンフルート）、whistle（口笛）、bagpipe（バグパイプ）、fiddle（フィドル）</translation>
    </message>
    <message>
        <source>beats per minute (default: the file&apos;s with --continue, else 110)</source>
        <translation>1 分あたりの拍数（既定: --continue ならそのファイルの値、それ以外は 110）</translation>
    </message>
    <message>
        <source>add bass and chords in the melody&apos;s key</source>
        <translation>メロディーの調でベースと和音を加えます</translation>
    </message>
    <message>
        <source>extend this MIDI melody by --bars bars</source>
        <translation>この MIDI のメロディーを --bars 小節だけ延ばします</translation>
    </message>
    <message>
        <source>morph melody A into melody B</source>
        <translation>メロディー A をメロディー B へ変形します</translation>
    </message>
    <message>
        <source>melodies from A to B with --interpolate (default 5)</source>
        <translation>--interpolate での A から B までのメロディーの数（既定 5）</translation>
    </message>
    <message>
        <source>the message (use - to read it from stdin)</source>
        <translation>メッセージ（- で標準入力から読みます）</translation>
    </message>
    <message>
        <source>a system prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>catalogue id, or a model folder / .gguf file (default: smollm2-135m-instruct)</source>
        <translation>一覧の ID、またはモデルのフォルダーか .gguf ファイル（既定: smollm2-135m-instruct）</translation>
    </message>
    <message>
        <source>most tokens in the reply</source>
        <translation>返答の最大トークン数</translation>
    </message>
    <message>
        <source>same seed, same text (on CPU)</source>
        <translation>同じシードなら同じテキスト（CPU の場合）</translation>
    </message>
    <message>
        <source>add a steering vector, e.g. formal=0.8 or positive=-0.5 (repeatable); each has a range on each model, see --list-steering</source>
        <translation>ステアリングベクトルを加えます（例: formal=0.8、positive=-0.5、繰り返し指定可）。モデルごとに範囲があります。--list-steering を参照</translation>
    </message>
    <message>
        <source>list the steering vectors and their strength ranges on --model, and exit</source>
        <translation>ステアリングベクトルと --model での強さの範囲を表示して終了します</translation>
    </message>
    <message>
        <source>Serve the installed text, image and speech models on an OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions, /v1/images/generations, /v1/audio/speech). Requests run one at a time.</source>
        <translation>導入済みのテキスト・画像・音声のモデルを OpenAI 互換 API（/v1/models、/v1/chat/completions、/v1/completions、/v1/images/generations、/v1/audio/speech）で提供します。リクエストは一つずつ処理します。</translation>
    </message>
    <message>
        <source>address to listen on (default 127.0.0.1)</source>
        <translation>待ち受けるアドレス（既定 127.0.0.1）</translation>
    </message>
    <message>
        <source>port (default 8188; 0: any free one)</source>
        <translation>ポート（既定 8188、0: 空いているもの）</translation>
    </message>
    <message>
        <source>key clients must send as a bearer token (default: $SOZO_API_KEY); required for any address but 127.0.0.1</source>
        <translation>クライアントが Bearer トークンとして送るキー（既定: $SOZO_API_KEY）。127.0.0.1 以外のアドレスでは必須</translation>
    </message>
    <message>
        <source>list items whose prompt, reply or script has these words</source>
        <translation>プロンプト、返答、台本にこれらの語を含む項目を表示します</translation>
    </message>
    <message>
        <source>everything recorded about one item</source>
        <translation>一つの項目について記録されたすべて</translation>
    </message>
    <message>
        <source>words to find (none: list everything)</source>
        <translation>探す語（なし: すべて表示）</translation>
    </message>
    <message>
        <source>only this kind of item</source>
        <translation>この種類の項目だけ</translation>
    </message>
    <message>
        <source>only items made by this model id</source>
        <translation>このモデル ID で作った項目だけ</translation>
    </message>
    <message>
        <source>only items made on or after this day (YYYY-MM-DD)</source>
        <translation>この日以降に作った項目だけ（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>only items made before this day (YYYY-MM-DD)</source>
        <translation>この日より前に作った項目だけ（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>at most this many (default 50)</source>
        <translation>最大件数（既定 50）</translation>
    </message>
    <message>
        <source>the item&apos;s id (as search lists it)</source>
        <translation>項目の ID（search の表示のとおり）</translation>
    </message>
    <message>
        <source>Run the jobs a TOML batch file describes (kind = image-grid, image-walk, melodies or read-aloud) and write each output, with its recipe, into the batch&apos;s folder as it is made. Running it again skips the outputs already there, so an interrupted batch goes on where it stopped.</source>
        <translation>TOML のバッチファイルに書かれたジョブ（kind = image-grid、image-walk、melodies、read-aloud）を実行し、出力ができるたびにレシピとともにバッチのフォルダーへ書き出します。もう一度実行すると既にある出力は飛ばすので、中断したバッチは止まったところから続きます。</translation>
    </message>
    <message>
        <source>the batch file (TOML)</source>
        <translation>バッチファイル（TOML）</translation>
    </message>
    <message>
        <source>run on a Ray cluster: its address (ray://host:10001, or auto), or &apos;local&apos; for a cluster on this machine</source>
        <translation>Ray クラスターで実行します: そのアドレス（ray://host:10001 か auto）、またはこのマシン上のクラスターなら &apos;local&apos;</translation>
    </message>
    <message>
        <source>Ray workers (default: 2 on a local cluster)</source>
        <translation>Ray のワーカー数（既定: ローカルのクラスターでは 2）</translation>
    </message>
    <message>
        <source>the folder for the outputs (default: the file&apos;s)</source>
        <translation>出力先のフォルダー（既定: バッチファイルのフォルダー）</translation>
    </message>
    <message>
        <source>list the outputs it would make and exit</source>
        <translation>作る予定の出力を表示して終了します</translation>
    </message>
    <message>
        <source>Add a language model (GGUF file or Hugging Face folder), a Stable Diffusion model (.safetensors or diffusers folder) or a Piper voice (.onnx with its .onnx.json). A file the engine could not load is refused.</source>
        <translation>言語モデル（GGUF ファイルか Hugging Face のフォルダー）、Stable Diffusion のモデル（.safetensors か diffusers のフォルダー）、Piper 音声（.onnx と .onnx.json）を追加します。エンジンが読み込めなかったファイルは拒否します。</translation>
    </message>
    <message>
        <source>the model file or folder</source>
        <translation>モデルのファイルまたはフォルダー</translation>
    </message>
    <message>
        <source>what the file is</source>
        <translation>ファイルの種類</translation>
    </message>
    <message>
        <source>a picture, audio or MIDI file</source>
        <translation>画像・音声・MIDI のファイル</translation>
    </message>
</context>
</TS>
