-- CreateTable
CREATE TABLE "DailyTally" (
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "metric", "channel", "key")
);

-- CreateTable
CREATE TABLE "CitizenActivity" (
    "bucket" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "channel" TEXT NOT NULL,

    PRIMARY KEY ("bucket", "citizenRef")
);

-- CreateTable
CREATE TABLE "ManualOutreach" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "date" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "topic" TEXT,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ManualOutreach_date_idx" ON "ManualOutreach"("date");
