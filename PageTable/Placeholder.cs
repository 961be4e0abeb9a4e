namespace PageHintVerify.PageTable; public static class Placeholder {}
