// Vite's `?url` imports: the URL of a file that the build copies into web/dist/.
declare module '*?url' {
  const url: string;
  export default url;
}

// The part of Vite's `import.meta.env` the page reads.
interface ImportMetaEnv {
  readonly PROD: boolean;
  readonly DEV: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
