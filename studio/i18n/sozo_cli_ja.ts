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
        <source>The output is a PNG: give a file name ending in .png, not {out}</source>
        <translation>出力は PNG です。.png で終わるファイル名を指定してください（{out} ではなく）</translation>
    </message>
    <message>
        <source>--strength needs --init (the picture to start from)</source>
        <translation>--strength には --init（元にする画像）が必要です</translation>
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
        <source>give the text to speak, e.g. sozo speech &quot;Hello.&quot; -o hello.wav</source>
        <translation>話すテキストを指定してください。例: sozo speech &quot;こんにちは。&quot; -o hello.wav</translation>
    </message>
    <message>
        <source>give the output file with -o, e.g. -o speech.wav</source>
        <translation>出力ファイルを -o で指定してください。例: -o speech.wav</translation>
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
        <source>the reply failed</source>
        <translation>返信を作れませんでした</translation>
    </message>
</context>
</TS>
